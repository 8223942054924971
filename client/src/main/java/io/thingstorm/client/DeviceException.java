package io.thingstorm.client;

/**
 * A device operation failed. {@link #kind()} says which class of failure it is; the message is one
 * line for a person, such as "unknown CA: the server does not trust this thing's certificate issuer
 * (Received fatal alert: unknown_ca) — append the CA ...". Messages never hold a key in full.
 */
public class DeviceException extends RuntimeException {
  private final FailureKind kind;

  public DeviceException(FailureKind kind, String detail) {
    this(kind, detail, null);
  }

  public DeviceException(FailureKind kind, String detail, Throwable cause) {
    super(message(kind, detail), cause);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }

  static String message(FailureKind kind, String detail) {
    StringBuilder text = new StringBuilder(kind.title()).append(": ").append(kind.meaning());
    if (detail != null && !detail.isBlank()) text.append(" (").append(oneLine(detail)).append(')');
    return text.append(" — ").append(kind.fix()).toString();
  }

  static String oneLine(String text) {
    String line = text.strip();
    int newline = line.indexOf('\n');
    if (newline < 0) return line;
    // OkHttp's "Hostname localhost not verified:" introduces the lines cut off here: its colon goes too
    String first = line.substring(0, newline).strip();
    return first.endsWith(":") ? first.substring(0, first.length() - 1) : first;
  }
}
