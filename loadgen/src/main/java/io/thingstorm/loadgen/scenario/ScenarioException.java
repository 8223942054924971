package io.thingstorm.loadgen.scenario;

/**
 * A scenario file that cannot run, in one line naming the file, the line and the field:
 * {@code scenarios/x.yaml line 14: phases[1].publish.rate: must be positive, not -5}. The CLI prints
 * the message as it is and exits 2.
 */
public final class ScenarioException extends RuntimeException {
  private final String file;
  private final int line;
  private final String field;
  private final String problem;

  public ScenarioException(String file, int line, String field, String problem) {
    super(format(file, line, field, problem));
    this.file = file;
    this.line = line;
    this.field = field;
    this.problem = problem;
  }

  private static String format(String file, int line, String field, String problem) {
    return oneLine(file + (line > 0 ? " line " + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
  }

  /**
   * Problems quote the file, and SnakeYAML's quote the very character it choked on, a line break
   * among them (found by ScenarioFuzzTest): control characters are written as escapes.
   */
  private static String oneLine(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c < 0x20 || c == 0x7f) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.toString();
  }

  /** The file as the caller named it. */
  public String file() {
    return file;
  }

  /** 1-based; 0 when the problem belongs to no line (an empty file, say). */
  public int line() {
    return line;
  }

  /** The field's path, such as {@code phases[1].publish.rate}; empty for the file as a whole. */
  public String field() {
    return field;
  }

  /** What is wrong, without file, line and field. */
  public String problem() {
    return problem;
  }
}
