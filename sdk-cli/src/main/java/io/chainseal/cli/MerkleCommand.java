package io.chainseal.cli;

import io.chainseal.cli.Main.UsageException;
import io.chainseal.core.ConsistencyProof;
import io.chainseal.core.Hash32;
import io.chainseal.core.InclusionProof;
import io.chainseal.core.MerkleTree;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code chainseal merkle root|inclusion|consistency}: RFC 9162 trees over raw leaves given as hex,
 * one argument each (an empty argument is the empty leaf), for interop checks and debugging.
 */
final class MerkleCommand {
  static final String USAGE = String.join(System.lineSeparator(),
      "  merkle root HEX...                     print the RFC 9162 root of the leaves",
      "  merkle inclusion --index I HEX...      print the inclusion proof of leaf I as JSON",
      "  merkle consistency --from M HEX...     print the consistency proof from size M as JSON");

  private MerkleCommand() {}

  static int run(List<String> args, PrintStream out) throws UsageException {
    if (args.isEmpty()) {
      throw new UsageException("merkle needs a subcommand: root, inclusion or consistency");
    }
    String sub = args.get(0);
    List<String> rest = args.subList(1, args.size());
    switch (sub) {
      case "root" -> {
        Parsed parsed = parse(rest, null);
        out.println(MerkleTree.ofLeafData(parsed.leaves).root().hex());
      }
      case "inclusion" -> {
        Parsed parsed = parse(rest, "--index");
        MerkleTree tree = MerkleTree.ofLeafData(parsed.leaves);
        if (parsed.number >= tree.size()) {
          throw new UsageException("--index " + parsed.number + " is not below the number of leaves, " + tree.size());
        }
        InclusionProof proof = tree.inclusionProof(parsed.number);
        out.println("{\"root\":\"" + tree.root().hex() + "\",\"index\":" + proof.leafIndex() + ",\"size\":" + proof.treeSize()
            + ",\"path\":" + hexArray(proof.path()) + "}");
      }
      case "consistency" -> {
        Parsed parsed = parse(rest, "--from");
        MerkleTree tree = MerkleTree.ofLeafData(parsed.leaves);
        if (parsed.number < 1 || parsed.number > tree.size()) {
          throw new UsageException("--from must be between 1 and the number of leaves, " + tree.size() + ", got " + parsed.number);
        }
        ConsistencyProof proof = tree.consistencyProof(parsed.number);
        out.println("{\"oldRoot\":\"" + tree.rootAt(parsed.number).hex() + "\",\"newRoot\":\"" + tree.root().hex()
            + "\",\"from\":" + proof.fromSize() + ",\"size\":" + proof.toSize() + ",\"path\":" + hexArray(proof.path()) + "}");
      }
      default -> throw new UsageException("unknown merkle subcommand '" + sub + "' (root, inclusion, consistency)");
    }
    return Main.OK;
  }

  private static String hexArray(List<Hash32> hashes) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < hashes.size(); i++) {
      json.append(i == 0 ? "\"" : ",\"").append(hashes.get(i).hex()).append('"');
    }
    return json.append(']').toString();
  }

  private static final class Parsed {
    final List<byte[]> leaves = new ArrayList<>();
    long number = -1;
  }

  private static Parsed parse(List<String> args, String option) throws UsageException {
    Parsed parsed = new Parsed();
    boolean seenOption = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--")) {
        String value;
        String name = arg;
        int equals = arg.indexOf('=');
        if (equals > 0) {
          name = arg.substring(0, equals);
          value = arg.substring(equals + 1);
        } else {
          if (i + 1 >= args.size()) {
            throw new UsageException(arg + " needs a value");
          }
          value = args.get(++i);
        }
        if (option == null || !name.equals(option)) {
          throw new UsageException("unknown option " + name);
        }
        if (seenOption) {
          throw new UsageException(option + " given twice");
        }
        seenOption = true;
        try {
          parsed.number = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new UsageException(option + " must be a whole number, got '" + abbreviate(value) + "'");
        }
        if (parsed.number < 0) {
          throw new UsageException(option + " must not be negative, got " + parsed.number);
        }
      } else {
        String digits = arg.startsWith("0x") || arg.startsWith("0X") ? arg.substring(2) : arg;
        try {
          parsed.leaves.add(HexFormat.of().parseHex(digits));
        } catch (IllegalArgumentException e) {
          throw new UsageException("leaf " + (parsed.leaves.size() + 1) + " is not hex: '" + abbreviate(arg) + "'");
        }
      }
    }
    if (option != null && !seenOption) {
      throw new UsageException("missing " + option);
    }
    if (parsed.leaves.isEmpty()) {
      throw new UsageException("give at least one leaf (hex; an empty argument is the empty leaf)");
    }
    return parsed;
  }

  static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...";
  }
}
