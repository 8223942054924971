package io.thingstorm.loadgen.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

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
  private sealed interface Step permits Field, Index {
    /** The path up to {@code at}, then this step, as errors name fields. */
    String after(String at);
  }

  private record Field(String name) implements Step {
    public String after(String at) {
      return at.isEmpty() ? name : at + "." + name;
    }
  }

  private record Index(int index) implements Step {
    public String after(String at) {
      return at + "[" + index + "]";
    }
  }

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
  private static List<Step> steps(String path) {
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

  /**
   * Sets this field in a scenario document read by {@code yaml}, making the mappings on its way that
   * are missing, and tells {@code locations} that the field now comes from this option.
   */
  void setIn(ObjectNode document, ObjectMapper yaml, YamlLocations locations) {
    JsonNode value = valueOf(yaml);
    List<Step> steps = steps(path);
    JsonNode node = document;
    String at = "";
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      boolean last = i == steps.size() - 1;
      String here = step.after(at);
      if (step instanceof Field f) {
        if (!(node instanceof ObjectNode mapping)) throw notA(at, locations, "a mapping");
        if (last && value.isNull()) {
          mapping.remove(f.name()); // un-set: in a mapping of counts (fleet.protocols) the key goes too
        } else if (last) {
          mapping.set(f.name(), value);
        } else if (mapping.get(f.name()) == null || mapping.get(f.name()).isNull()) {
          if (steps.get(i + 1) instanceof Index) {
            throw new ScenarioException(toString(), 0, here, "has no list to index: set the whole list, e.g. --set " + here + "=[...]");
          }
          mapping.set(f.name(), mapping.objectNode());
          locations.override(here, mapping.get(f.name()), this);
        }
        node = mapping.get(f.name());
      } else {
        int index = ((Index) step).index();
        if (!(node instanceof ArrayNode list)) throw notA(at, locations, "a list");
        if (index > list.size() || (index == list.size() && (!last || value.isNull()))) {
          throw new ScenarioException(toString(), 0, here, at + " has " + list.size() + " item" + (list.size() == 1 ? "" : "s")
              + ", so an index from 0 to " + (list.size() - 1) + ", or " + list.size() + " to add one at the end");
        }
        if (last && value.isNull()) { // un-set: the item goes, and those after it move up
          list.remove(index);
          locations.removeItem(at, index);
          return;
        }
        if (last && index == list.size()) list.add(value);
        else if (last) list.set(index, value);
        node = list.get(index);
      }
      at = here;
    }
    locations.override(path, value, this);
  }

  private ScenarioException notA(String at, YamlLocations locations, String wanted) {
    String shown = locations.shown(at);
    String is = shown == null ? "something else" : shown.startsWith("a ") || shown.equals("nothing") ? shown : "the value " + shown;
    return new ScenarioException(toString(), 0, at, "is " + is + ", not " + wanted + ", so " + path + " cannot be set");
  }

  /** The value as YAML: a number, text, a list, a mapping, or nothing (un-set). */
  private JsonNode valueOf(ObjectMapper yaml) {
    if (value.isBlank()) return NullNode.getInstance();
    try {
      JsonNode node = yaml.readTree(value);
      return node == null || node.isMissingNode() ? NullNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      String message = e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null ? marked.getProblem().strip()
          : e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage().lines().findFirst().orElse("").strip();
      throw new ScenarioException(toString(), 0, path, "not a YAML value: " + message);
    }
  }

  /** As given on the command line; the run's report keeps it beside the file's text. */
  @Override
  public String toString() {
    return "--set " + path + "=" + value;
  }
}
