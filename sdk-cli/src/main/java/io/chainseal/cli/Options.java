package io.chainseal.cli;

import io.chainseal.cli.Main.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code --name value} options (a name may repeat) and {@code --flag}s; positional arguments are refused. */
final class Options {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final Set<String> flagsGiven = new java.util.HashSet<>();

  Options(List<String> args, Set<String> known) throws UsageException {
    this(args, known, Set.of());
  }

  Options(List<String> args, Set<String> known, Set<String> flags) throws UsageException {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + MerkleCommand.abbreviate(arg) + "'");
      }
      if (flags.contains(arg)) {
        flagsGiven.add(arg);
        continue;
      }
      String name = arg;
      String value;
      int equals = arg.indexOf('=');
      if (equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      } else {
        if (!known.contains(name)) {
          throw new UsageException("unknown option " + MerkleCommand.abbreviate(name));
        }
        if (i + 1 >= args.size()) {
          throw new UsageException(arg + " needs a value");
        }
        value = args.get(++i);
      }
      if (!known.contains(name)) {
        throw new UsageException("unknown option " + MerkleCommand.abbreviate(name));
      }
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
  }

  boolean flag(String name) {
    return flagsGiven.contains(name);
  }

  String required(String name) throws UsageException {
    String value = optional(name);
    if (value == null) {
      throw new UsageException("missing " + name);
    }
    return value;
  }

  @Nullable String optional(String name) throws UsageException {
    List<String> list = values.get(name);
    if (list == null) {
      return null;
    }
    if (list.size() > 1) {
      throw new UsageException(name + " given twice");
    }
    return list.get(0);
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  int intValue(String name, int defaultValue, int min) throws UsageException {
    long value = longValue(name, defaultValue, min);
    if (value > Integer.MAX_VALUE) {
      throw new UsageException(name + " must be at most " + Integer.MAX_VALUE + ", got " + value);
    }
    return (int) value;
  }

  long longValue(String name, long defaultValue, long min) throws UsageException {
    String value = optional(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min) {
        throw new UsageException(name + " must be at least " + min + ", got " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a whole number, got '" + MerkleCommand.abbreviate(value) + "'");
    }
  }
}
