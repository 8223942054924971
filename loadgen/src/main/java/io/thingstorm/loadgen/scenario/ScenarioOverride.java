package io.thingstorm.loadgen.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One field of a scenario set from the command line ({@code run --set fleet.count=500}), so that a
 * run against another host, at another rate or with another fleet needs no copy of the file. The
 * path is written as errors name fields ({@code phases[1].publish.rate}); the value is YAML, so
 * {@code [TLSv1.2]} is a list, {@code {mqtt3: 100}} a mapping and an empty value un-sets the field.
 *
 * @param path the field, e.g. {@code target.mqtt}
 * @param value the value as YAML text
 */
public record ScenarioOverride(String path, String value) {
  private static final Pattern STEP = Pattern.compile("\\.?([A-Za-z][A-Za-z0-9]*)|\\[([0-9]{1,6})\\]");

  /** One step of a path: a field name, or an index into a list. */
  sealed interface Step permits Field, Index {}

  record Field(String name) implements Step {}

  record Index(int index) implements Step {}

  public ScenarioOverride {
    steps(path); // refuses a path that names no field
  }

  /**
   * Reads {@code path=value}.
   *
   * @throws ScenarioException in words, naming the option, when there is no {@code =} or the path is malformed
   */
  public static ScenarioOverride parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) throw new ScenarioException("--set " + text, 0, "", "write PATH=VALUE, e.g. --set fleet.count=500");
    return new ScenarioOverride(text.substring(0, eq).strip(), text.substring(eq + 1));
  }

  /** The path's steps: {@code phases[1].publish} is phases, 1, publish. */
  static List<Step> steps(String path) {
    if (path == null || path.isEmpty()) throw new ScenarioException("--set", 0, "", "give a field before =, e.g. --set fleet.count=500");
    List<Step> steps = new ArrayList<>();
    Matcher m = STEP.matcher(path);
    int at = 0;
    while (at < path.length() && m.find(at) && m.start() == at && !(at == 0 && path.charAt(0) == '.')) {
      steps.add(m.group(1) != null ? new Field(m.group(1)) : new Index(Integer.parseInt(m.group(2))));
      at = m.end();
    }
    if (at < path.length() || !(steps.get(0) instanceof Field)) {
      throw new ScenarioException("--set " + path + "=...", 0, "", "not a field path (write it as errors name fields, e.g. "
          + "target.mqtt or phases[1].publish.rate)");
    }
    return steps;
  }

  /** As given on the command line; the run's report keeps it beside the file's text. */
  @Override
  public String toString() {
    return "--set " + path + "=" + value;
  }
}
