package io.thingstorm.testbed;

/** The testbed could not be set up, started or fed: the message names the problem in one line. */
public final class TestbedException extends RuntimeException {
  public TestbedException(String message) {
    super(message);
  }

  public TestbedException(String message, Throwable cause) {
    super(message, cause);
  }
}
