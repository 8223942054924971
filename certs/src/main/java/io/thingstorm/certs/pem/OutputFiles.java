package io.thingstorm.certs.pem;

import io.thingstorm.certs.CertsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes output files whole or not at all (a temp file, then a rename), so that a crash never leaves
 * half a key; private keys are created owner-only (0600) before a byte is written; an existing file
 * is kept unless the caller forces.
 */
public final class OutputFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private OutputFiles() {}

  public static void writePrivate(Path file, String content, boolean force) {
    write(file, content.getBytes(StandardCharsets.US_ASCII), OWNER_ONLY, force);
  }

  public static void writePublic(Path file, String content, boolean force) {
    write(file, content.getBytes(StandardCharsets.UTF_8), PUBLIC, force);
  }

  public static void writePublic(Path file, byte[] content, boolean force) {
    write(file, content, PUBLIC, force);
  }

  /**
   * Creates a file that must not exist yet, in one step and without a temp file: for folders that
   * are themselves renamed into place once whole (bulk issuing).
   */
  public static void createPrivate(Path file, String content) {
    create(file, content.getBytes(StandardCharsets.US_ASCII), OWNER_ONLY);
  }

  public static void createPublic(Path file, String content) {
    create(file, content.getBytes(StandardCharsets.UTF_8), PUBLIC);
  }

  private static void create(Path file, byte[] content, Set<PosixFilePermission> permissions) {
    try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(permissions))) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) channel.write(buffer);
    } catch (FileAlreadyExistsException e) {
      throw new CertsException(file + " exists already (kept; use --force to replace it)");
    } catch (IOException e) {
      throw new CertsException("cannot write " + file + ": " + reason(e), e);
    }
  }

  /** Refuses early, before any work, when a file is there and may not be replaced. */
  public static void requireAbsent(Path file, boolean force) {
    if (!force && Files.exists(file)) {
      throw new CertsException(file + " exists already (kept; use --force to replace it)");
    }
  }

  private static void write(Path file, byte[] content, Set<PosixFilePermission> permissions, boolean force) {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    // Beside the target, so that the final link or rename stays on one file system; hidden and
    // unique, so that concurrent writers and a crash leave nothing that looks like a real file.
    Path tmp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    boolean created = false;
    try {
      if (!Files.isDirectory(dir)) Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(permissions))) {
        created = true;
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) channel.write(buffer);
      }
      if (force) {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // A hard link never replaces an existing file, so two writers cannot clobber each other.
        Files.createLink(absolute, tmp);
        Files.delete(tmp);
      }
      created = false;
    } catch (FileAlreadyExistsException e) {
      throw new CertsException(file + " exists already (kept; use --force to replace it)");
    } catch (IOException e) {
      throw new CertsException("cannot write " + file + ": " + reason(e), e);
    } finally {
      if (created) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The temp file is hidden and harmless; the real error is already on its way.
        }
      }
    }
  }

  /** What went wrong, in words: the JDK's file exceptions carry only the path as their message. */
  public static String reason(IOException e) {
    String kind = e instanceof NoSuchFileException ? "no such folder"
        : e instanceof FileAlreadyExistsException ? "a file is in the way"
        : e instanceof AccessDeniedException ? "permission denied"
        : e instanceof NotDirectoryException ? "not a folder"
        : null;
    if (kind != null) return kind;
    if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason();
    return e.getMessage();
  }

  /**
   * Deletes {@code root} and all below it, as far as it can: for clean-ups after a failure or a
   * stop, where what is left over must not hide the reason the user reads.
   */
  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException | UncheckedIOException leftOver) {
      // best effort
    }
  }
}
