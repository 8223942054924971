package io.thingstorm.certs.fleet;

import java.nio.file.Path;

/** One row of {@code things.csv}: a thing and where its certificate and key files are. */
public record ManifestEntry(Thing thing, Path cert, Path key) {
  @Override
  public String toString() {
    return "ManifestEntry[" + thing + ", " + cert + ", " + key + "]";
  }
}
