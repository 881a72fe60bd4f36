package io.chainseal.cli;

import io.chainseal.anchor.AnchorEvidence;
import io.chainseal.chain.ChainClient;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.cli.Main.UsageException;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.MessageProof;
import io.chainseal.core.OfflineVerifier;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignaturePolicy;
import io.chainseal.core.VerificationStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code chainseal verify}: checks a message file (or, with {@code --erased}, only a proof) against the
 * chain, trusting exactly the chain, contracts and publishers it is told — by options or a trust file.
 * Exit 0 only for {@code VERIFIED} by a publisher trusted by name; 1 for any other verdict; 2 for bad
 * usage, unreadable input or missing trust settings; 3 when the verifier itself failed.
 */
final class VerifyCommand {
  static final String SUMMARY = String.join(System.lineSeparator(),
      "  verify --message M.json --proof P.json [TRUST] [--rpc URL]",
      "                                         verify a message file (envelope + salt) and its proof on chain",
      "  verify --erased --proof P.json [TRUST] [--rpc URL]",
      "                                         verify what remains of an erased message (its proof)",
      "  verify --bundle ARCHIVE.zip [TRUST] [--rpc URL]",
      "                                         verify every message of an exported conversation");

  static final String HELP = String.join(System.lineSeparator(),
      "usage: chainseal verify --message M.json --proof P.json [TRUST] [--rpc URL] [options]",
      "       chainseal verify --erased --proof P.json [TRUST] [--rpc URL] [options]",
      "       chainseal verify --bundle ARCHIVE.zip [TRUST] [--rpc URL] [options]",
      "",
      "Checks a message and its proof against the chain: unchanged, in the anchored batch, anchored by a",
      "trusted publisher in a trusted contract on the trusted chain, one consistent history, confirmed.",
      "",
      "TRUST (required; nothing in a proof file can widen it):",
      "  --trust-file F            a trust file: {\"chainId\", \"contracts\": [{\"address\", \"fromBlock\"}],",
      "                            \"publishers\": [...], \"confirmations\"?, \"rpc\"?}; without it and without the",
      "                            options below: $CHAINSEAL_TRUST_FILE, else ~/.config/chainseal/trust.json if it exists",
      "  --chain-id N              the chain the anchor must be on (overrides the file's)",
      "  --contract ADDRESS[@BLOCK]  a trusted anchor contract, deployed in BLOCK (default 0); repeatable",
      "  --publisher ADDRESS       a trusted publisher (the operator's address); repeatable",
      "  --insecure-any-publisher  count anyone's anchors in the trusted contracts (never exits 0)",
      "",
      "options:",
      "  --rpc URL                 JSON-RPC endpoint of the chain (default: the trust file's \"rpc\")",
      "  --confirmations K         blocks required, the anchoring block included (default: the trust file's,",
      "                            else " + ProvenanceVerifier.DEFAULT_CONFIRMATIONS + "); a finalized block always suffices",
      "  --require-sender-signature  the message must be signed by the key its envelope declares (senderKey)",
      "  --bundle ARCHIVE.zip      a conversation exported as one archive (ConversationBundle): every message,",
      "                            erased ones by their proof; each problem is printed with its file",
      "  --help                    print this text",
      "",
      "Exit codes: 0 VERIFIED by a trusted publisher; 1 any other verdict; 2 bad usage, unreadable input or",
      "missing trust settings; 3 the verifier itself failed (a bug: please report it).",
      "");

  private static final Set<String> OPTIONS = Set.of("--message", "--proof", "--rpc", "--confirmations", "--trust-file",
      "--chain-id", "--contract", "--publisher", "--bundle");
  private static final Set<String> FLAGS = Set.of("--erased", "--insecure-any-publisher", "--require-sender-signature");

  private VerifyCommand() {}

  static int run(List<String> args, PrintStream out, Map<String, String> environment) throws UsageException {
    Options options = new Options(args, OPTIONS, FLAGS);
    String bundle = options.optional("--bundle");
    if (bundle != null) {
      if (options.optional("--message") != null || options.optional("--proof") != null || options.flag("--erased")) {
        throw new UsageException("--bundle verifies the archive's own messages and proofs: drop --message, --proof and --erased");
      }
      return verifyBundle(Path.of(bundle), options, environment, out);
    }
    boolean erased = options.flag("--erased");
    @Nullable SaltedEnvelope message = null;
    if (erased) {
      if (options.optional("--message") != null) {
        throw new UsageException("--erased checks a proof alone: drop --message");
      }
      if (options.flag("--require-sender-signature")) {
        throw new UsageException("--require-sender-signature needs the message: an erased proof names no sender");
      }
    } else {
      message = readMessage(Path.of(options.required("--message")));
    }
    MessageProof proof = readProof(Path.of(options.required("--proof")));
    Setup setup = setup(options, environment);
    TrustSettings trust = setup.trust();
    SignaturePolicy policy = setup.policy();
    try (ChainClient chain = ChainClient.builder(setup.rpc()).timeout(Duration.ofSeconds(10)).maxAttempts(3).build()) {
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).trust(trust).confirmations(setup.confirmations())
          .offline(OfflineVerifier.withPolicy(policy)).build();
      ProvenanceResult result = erased ? verifier.verifyErased(proof)
          : verifier.verify(message.envelope(), message.salt(), proof);
      print(result, out);
      out.println("trusting   chain " + trust.chainId() + ", contracts " + trust.contracts().keySet() + ", publishers "
          + (trust.acceptsAnyPublisher() ? "ANY (insecure)" : trust.publishers().toString()));
      if (result.status() == VerificationStatus.VERIFIER_ERROR) {
        return Main.INTERNAL;
      }
      if (result.isVerified() && !result.isVerifiedByTrustedPublisher()) {
        out.println("note       --insecure-any-publisher: the publisher was not trusted by name; exit code 1");
      }
      return result.isVerifiedByTrustedPublisher() ? Main.OK : Main.NEGATIVE;
    }
  }

  /** What both modes need from the options: the trust settings, the endpoint, the confirmations, the signature policy. */
  record Setup(TrustSettings trust, String rpc, int confirmations, SignaturePolicy policy) {}

  static Setup setup(Options options, Map<String, String> environment) throws UsageException {
    TrustSettings trust = trust(options, environment);
    String rpc = options.optional("--rpc");
    if (rpc == null) {
      rpc = trust.rpcUrl().orElseThrow(() -> new UsageException("missing --rpc (and the trust file names no \"rpc\")"));
    }
    int confirmations = options.intValue("--confirmations",
        trust.confirmations().orElse(ProvenanceVerifier.DEFAULT_CONFIRMATIONS), 1);
    SignaturePolicy policy = options.flag("--require-sender-signature") ? SignaturePolicy.REQUIRE_SENDER_KEY
        : SignaturePolicy.OPTIONAL;
    return new Setup(trust, rpc, confirmations, policy);
  }

  private static int verifyBundle(Path archive, Options options, Map<String, String> environment, PrintStream out)
      throws UsageException {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive.toFile())) {
      if (zip.size() == 0) {
        throw new UsageException(archive + " is an empty archive");
      }
    } catch (java.io.IOException e) {
      throw new UsageException("cannot read " + archive + " as a zip archive");
    }
    Setup setup = setup(options, environment);
    TrustSettings trust = setup.trust();
    SignaturePolicy policy = setup.policy();
    try (ChainClient chain = ChainClient.builder(setup.rpc()).timeout(Duration.ofSeconds(10)).maxAttempts(3).build()) {
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).trust(trust).confirmations(setup.confirmations())
          .offline(OfflineVerifier.withPolicy(policy)).build();
      io.chainseal.anchor.ConversationBundle.Report report = io.chainseal.anchor.ConversationBundle.verify(archive, verifier);
      out.println("bundle     " + printable(archive.getFileName().toString()) + ", conversation " + printable(report.conversation())
          + ", " + report.items().size() + " messages");
      boolean internal = false;
      boolean erasedUnsigned = false;
      for (io.chainseal.anchor.ConversationBundle.Item item : report.items()) {
        out.println("message    " + printable(item.ref().messageId()) + (item.erased() ? " (erased)" : "") + "  " + item.verdict().status());
        internal |= item.verdict().status() == VerificationStatus.VERIFIER_ERROR;
        erasedUnsigned |= item.erased() && policy == SignaturePolicy.REQUIRE_SENDER_KEY;
      }
      for (io.chainseal.anchor.ConversationBundle.Problem problem : report.problems()) {
        out.println("problem    " + printable(problem.file()) + ": " + printable(problem.reason()));
      }
      if (erasedUnsigned) {
        out.println("problem    --require-sender-signature: erased messages carry no sender signature to check");
      }
      boolean verified = report.verified() && !erasedUnsigned;
      out.println("verdict    " + (verified ? "VERIFIED" : "NOT VERIFIED") + " (each listed message; not that the archive lists them all)");
      out.println("trusting   chain " + trust.chainId() + ", contracts " + trust.contracts().keySet() + ", publishers "
          + (trust.acceptsAnyPublisher() ? "ANY (insecure)" : trust.publishers().toString()));
      if (internal) {
        return Main.INTERNAL;
      }
      return verified ? Main.OK : Main.NEGATIVE;
    }
  }

  /**
   * {@code text} with control and format characters (bidirectional overrides among them) escaped: an
   * archive cannot forge lines of this report, nor reorder what it shows.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static void print(ProvenanceResult result, PrintStream out) {
    out.println(result.status() + ": " + result.reason());
    result.anchor().ifPresent(anchor -> {
      out.println("block      " + anchor.blockNumber() + (anchor.blockHash() == null ? "" : " (" + anchor.blockHash().hex0x() + ")"));
      out.println("tx         " + anchor.transactionHash().hex0x());
    });
    result.existedBy().ifPresent(time -> out.println("time       " + time + " (the message existed by then)"));
    result.publisher().ifPresent(publisher -> out.println("publisher  " + publisher));
    if (result.anchor().isPresent()) {
      out.println("confirmed  " + (result.finalized() ? "finalized" : result.confirmations() + " confirmations"));
    }
    result.senderBinding().ifPresent(binding -> out.println("signature  " + switch (binding) {
      case SENDER_KEY -> "by the key the message declares for its sender, " + result.signer().orElseThrow();
      case UNDECLARED_KEY -> "by " + result.signer().orElseThrow() + ", a key the message does not declare for its sender";
      case WRONG_KEY -> "by " + result.signer().orElseThrow() + ", not the key the message declares for its sender";
      case UNSIGNED -> "none: nothing but the operator's word says who wrote the message";
    }));
    for (AnchorEvidence evidence : result.evidence()) {
      out.println("evidence   " + evidence);
    }
  }

  /** The trust file (named, from the environment, or the default location) overlaid with the options. */
  static TrustSettings trust(Options options, Map<String, String> environment) throws UsageException {
    TrustSettings.Builder trust = TrustSettings.builder();
    Path file = null;
    String named = options.optional("--trust-file");
    boolean onCommandLine = options.optional("--chain-id") != null || !options.all("--contract").isEmpty()
        || !options.all("--publisher").isEmpty() || options.flag("--insecure-any-publisher");
    if (named != null) {
      file = Path.of(named);
    } else if (onCommandLine) {
      file = null; // trust named on the command line is not widened by a default file
    } else if (environment.get("CHAINSEAL_TRUST_FILE") != null && !environment.get("CHAINSEAL_TRUST_FILE").isEmpty()) {
      file = Path.of(environment.get("CHAINSEAL_TRUST_FILE"));
    } else if (environment.get("HOME") != null) {
      Path fallback = Path.of(environment.get("HOME"), ".config", "chainseal", "trust.json");
      file = Files.isRegularFile(fallback) ? fallback : null;
    }
    if (file != null) {
      TrustSettings settings;
      try {
        settings = TrustSettings.parse(read(file, 64 * 1024));
      } catch (FormatException e) {
        throw new UsageException(file + ": " + e.getMessage());
      }
      trust.chainId(settings.chainId());
      settings.contracts().forEach(trust::trustContract);
      settings.publishers().forEach(trust::trustPublisher);
      if (settings.acceptsAnyPublisher()) {
        trust.insecureAcceptAnyPublisher();
      }
      settings.confirmations().ifPresent(trust::confirmations);
      settings.rpcUrl().ifPresent(trust::rpcUrl);
    }
    String chainId = options.optional("--chain-id");
    if (chainId != null) {
      trust.chainId(options.longValue("--chain-id", 0, 1));
    }
    for (String contract : options.all("--contract")) {
      int at = contract.indexOf('@');
      EvmAddress address = address("--contract", at < 0 ? contract : contract.substring(0, at));
      long from = 0;
      if (at >= 0) {
        try {
          from = Long.parseLong(contract.substring(at + 1));
        } catch (NumberFormatException e) {
          throw new UsageException("--contract " + MerkleCommand.abbreviate(contract) + ": the block after @ must be a number");
        }
        if (from < 0) {
          throw new UsageException("--contract " + MerkleCommand.abbreviate(contract) + ": the block must not be negative");
        }
      }
      trust.trustContract(address, from);
    }
    for (String publisher : options.all("--publisher")) {
      trust.trustPublisher(address("--publisher", publisher));
    }
    if (options.flag("--insecure-any-publisher")) {
      trust.insecureAcceptAnyPublisher();
    }
    try {
      return trust.build();
    } catch (IllegalStateException e) {
      throw new UsageException("no complete trust settings (" + e.getMessage() + "). Name the chain, the anchor contract"
          + " and the operator: --chain-id N --contract ADDRESS[@BLOCK] --publisher ADDRESS, or --trust-file F"
          + " (see chainseal verify --help)");
    }
  }

  private static EvmAddress address(String option, String text) throws UsageException {
    try {
      return EvmAddress.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + " " + MerkleCommand.abbreviate(text) + ": " + e.getMessage());
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
