package io.chainseal.cli;

import io.chainseal.anchor.ChainClient;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.cli.Main.UsageException;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.MessageProof;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.SaltedEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code chainseal verify --message M.json --proof P.json --rpc URL [--confirmations K] [--trust ADDRESS...]}:
 * exit 0 only for VERIFIED, 1 for any other verdict, 2 for bad usage or unreadable input.
 */
final class VerifyCommand {
  static final String USAGE = String.join(System.lineSeparator(),
      "  verify --message M.json --proof P.json --rpc URL [--confirmations K] [--trust ADDRESS ...]",
      "                                         verify a message file (envelope + salt) and its proof on chain",
      "  anchor-status --rpc URL --tx HASH      show an anchoring transaction and its Anchored events");

  private VerifyCommand() {}

  static int run(List<String> args, PrintStream out) throws UsageException {
    Options options = new Options(args, Set.of("--message", "--proof", "--rpc", "--confirmations", "--trust"));
    SaltedEnvelope message = readMessage(Path.of(options.required("--message")));
    MessageProof proof = readProof(Path.of(options.required("--proof")));
    String rpc = options.required("--rpc");
    int confirmations = options.intValue("--confirmations", 1, 1);
    try (ChainClient chain = ChainClient.builder(rpc).timeout(Duration.ofSeconds(10)).maxAttempts(3).build()) {
      ProvenanceVerifier.Builder verifier = ProvenanceVerifier.builder(chain).confirmations(confirmations);
      for (String trusted : options.all("--trust")) {
        try {
          verifier.trustPublisher(EvmAddress.fromHex(trusted));
        } catch (IllegalArgumentException e) {
          throw new UsageException("--trust " + MerkleCommand.abbreviate(trusted) + ": " + e.getMessage());
        }
      }
      ProvenanceResult result = verifier.build().verify(message.envelope(), message.salt(), proof);
      out.println(result.status() + ": " + result.reason());
      result.blockNumber().ifPresent(block -> out.println("block      " + block));
      result.existedBy().ifPresent(time -> out.println("time       " + time + " (the message existed by then)"));
      result.publisher().ifPresent(publisher -> out.println("publisher  " + publisher));
      if (options.all("--trust").isEmpty() && result.isVerified()) {
        out.println("note       no --trust given: any publisher was accepted");
      }
      return result.isVerified() ? Main.OK : Main.NEGATIVE;
    }
  }

  static byte[] read(Path file, int maxBytes) throws UsageException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new UsageException(file + ": larger than " + maxBytes + " bytes");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new UsageException(file + ": no such file");
    } catch (IOException e) {
      throw new UsageException(file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  static SaltedEnvelope readMessage(Path file) throws UsageException {
    try {
      return EnvelopeCodec.parseSalted(read(file, EnvelopeCodec.MAX_DOCUMENT_BYTES));
    } catch (FormatException e) {
      throw new UsageException(file + ": " + e.getMessage());
    }
  }

  static MessageProof readProof(Path file) throws UsageException {
    try {
      return ProofCodec.parse(read(file, ProofCodec.MAX_DOCUMENT_BYTES));
    } catch (FormatException e) {
      throw new UsageException(file + ": " + e.getMessage());
    }
  }
}
