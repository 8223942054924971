package io.thingstorm.certs.pem;

/**
 * Where the password of an encrypted key comes from, asked only when a key turns out to be encrypted
 * (a flag, an environment variable, a prompt).
 */
@FunctionalInterface
public interface PasswordSource {
  /** The password for the named key file, or null when there is none to give. */
  char[] passwordFor(String keySource);

  static PasswordSource none() {
    return source -> null;
  }

  static PasswordSource of(char[] password) {
    return source -> password == null ? null : password.clone();
  }

  /** This source, and when it has nothing, the other one. */
  default PasswordSource orElse(PasswordSource other) {
    return source -> {
      char[] password = passwordFor(source);
      return password != null ? password : other.passwordFor(source);
    };
  }
}
