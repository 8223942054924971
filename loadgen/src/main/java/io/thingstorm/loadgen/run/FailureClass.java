package io.thingstorm.loadgen.run;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.Failures;
import java.util.Locale;

/** The failure class a report counts by: the client's {@link FailureKind}, lower case ("unknown_ca", "no_permission"). */
public final class FailureClass {
  /** A publish the generator could not even start: its device was not connected. */
  public static final String NOT_CONNECTED = "not_connected";
  /** A message the payload template could not render as valid SenML for its device (a thing name with a space in a {@code bn}). */
  public static final String INVALID_PAYLOAD = "invalid_payload";

  private FailureClass() {}

  public static String of(FailureKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  public static String of(Throwable thrown) {
    DeviceException classified = thrown instanceof DeviceException d ? d : Failures.classify(thrown);
    return of(classified.kind());
  }
}
