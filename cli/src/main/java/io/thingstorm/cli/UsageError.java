package io.thingstorm.cli;

/** A command was given arguments that cannot work together; exits with 2, like a parse error. */
final class UsageError extends RuntimeException {
  UsageError(String message) {
    super(message);
  }
}
