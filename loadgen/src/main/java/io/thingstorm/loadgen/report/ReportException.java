package io.thingstorm.loadgen.report;

/** A report folder that cannot be read or written; the message is one line for the user. */
public final class ReportException extends RuntimeException {
  public ReportException(String message) {
    super(message);
  }

  public ReportException(String message, Throwable cause) {
    super(message, cause);
  }
}
