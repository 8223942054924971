package io.thingstorm.testbed.registry;

import io.thingstorm.testbed.TestbedException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Per-user topic permissions for the Cybus profile, where the certificate's CN is the user name. The
 * file is Java properties, one user a line, the filters allowed for publish and subscribe:
 *
 * <pre>
 * # user (= cert CN) = MQTT topic filters, comma-separated
 * device001 = factory/device001/#, factory/+/commands
 * </pre>
 */
public final class TopicPermissions {
  private final Map<String, List<TopicFilter>> byUser;

  private TopicPermissions(Map<String, List<TopicFilter>> byUser) {
    this.byUser = Map.copyOf(byUser);
  }

  public static TopicPermissions none() {
    return new TopicPermissions(Map.of());
  }

  public static TopicPermissions of(Map<String, List<String>> filtersByUser) {
    Map<String, List<TopicFilter>> map = new TreeMap<>();
    filtersByUser.forEach((user, filters) -> map.put(user, filters.stream().map(TopicFilter::new).toList()));
    return new TopicPermissions(map);
  }

  public static TopicPermissions read(Path file) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      throw new TestbedException("no such permissions file: " + file);
    } catch (AccessDeniedException e) {
      throw new TestbedException("cannot read permissions " + file + ": permission denied");
    } catch (CharacterCodingException e) {
      throw new TestbedException("permissions " + file + " is not a UTF-8 text file");
    } catch (IllegalArgumentException e) {
      // Properties.load's one complaint: a backslash-u escape that is not four hex digits.
      throw new TestbedException("permissions " + file + ": a \\u escape that is not four hex digits");
    } catch (IOException e) {
      throw new TestbedException("cannot read permissions " + file + ": " + e.getMessage(), e);
    }
    Map<String, List<TopicFilter>> map = new TreeMap<>();
    for (String user : properties.stringPropertyNames()) {
      List<TopicFilter> filters = new ArrayList<>();
      for (String filter : properties.getProperty(user).split(",")) {
        if (filter.isBlank()) continue;
        try {
          filters.add(new TopicFilter(filter.trim()));
        } catch (IllegalArgumentException e) {
          throw new TestbedException(file + ": user " + user + ": " + e.getMessage());
        }
      }
      map.put(user, filters);
    }
    return new TopicPermissions(map);
  }

  /** The user's filters, or empty when there is no such user. */
  public Optional<List<TopicFilter>> of(String user) {
    return Optional.ofNullable(byUser.get(user));
  }

  public boolean allows(String user, String topicOrFilter) {
    List<TopicFilter> filters = byUser.get(user);
    return filters != null && filters.stream().anyMatch(f -> f.covers(topicOrFilter));
  }

  public int size() {
    return byUser.size();
  }
}
