package io.thingstorm.cli;

import java.io.PrintWriter;

/** The line every run with hostname verification off prints on standard error, however it was asked for. */
final class InsecureWarning {
  static final String TEXT = "warning: the server's host name is NOT verified";

  private InsecureWarning() {}

  static void print(PrintWriter err, String switchedOffBy) {
    err.println("thingstorm: " + TEXT + " (" + switchedOffBy + "): any server with a certificate from a trusted CA is accepted");
    err.flush();
  }
}
