package io.chainseal.cli;

import static io.chainseal.cli.VerifyCommand.printable;

import io.chainseal.anchor.ConversationBundle;
import io.chainseal.anchor.ForwardTrace;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.chain.ChainClient;
import io.chainseal.cli.Main.UsageException;
import io.chainseal.core.FormatException;
import io.chainseal.core.Forwarding;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageRef;
import io.chainseal.core.OfflineVerifier;
import io.chainseal.core.StoreEntry;
import io.chainseal.core.VerificationStatus;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code chainseal provenance}: traces a forwarded message back to its original through exported
 * archives, verifying every hop on chain and printing each hop and each break. Exit 0 only for a whole
 * chain verified by trusted publishers; 1 for a broken or unverified chain; 2 for bad usage, unreadable
 * archives or missing trust settings; 3 when the verifier itself failed.
 */
final class ProvenanceCommand {
  static final String SUMMARY = String.join(System.lineSeparator(),
      "  provenance --bundle A.zip [--bundle B.zip ...] [--conversation C --message-id M] [TRUST] [--rpc URL]",
      "                                         trace a forward back to its original, each hop verified on chain");

  static final String HELP = String.join(System.lineSeparator(),
      "usage: chainseal provenance --bundle ARCHIVE.zip [--bundle ARCHIVE.zip ...] [--conversation C --message-id M]",
      "                            [TRUST] [--rpc URL] [options]",
      "",
      "Follows a message's forwardedFrom (and the source commitment a Chainseal forward carries) back through",
      "the messages of the archives (conversations exported with ConversationBundle), verifies every hop on",
      "chain, and prints each hop — ids, sender, signature, claimed send time, the block time by which it",
      "existed, content digest — and every break with the hop where it occurs: an unverified (e.g. unanchored)",
      "hop, a changed content digest, a forward that predates its source, a missing or mismatched source.",
      "An erased original still shows that it existed and when, when the forward names its commitment.",
      "",
      "  --bundle ARCHIVE.zip      an exported conversation; repeat for each conversation of the chain",
      "  --conversation C, --message-id M",
      "                            the message to trace; default: the one forward no other message forwards",
      "  --clock-skew-seconds S    how much earlier than its source a forward's claimed time may be (default 0,",
      "                            at most " + ForwardTrace.MAX_CLOCK_SKEW.toSeconds() + ")",
      "  --require-sender-signature  every hop must be signed by the key its envelope declares for its sender",
      "",
      "Whoever supplies the archives chooses which messages they hold: without --conversation and --message-id",
      "the message traced is theirs to choose too (it is printed first); and they can present any message as",
      "erased. A chain that ends at an erased message shows that it existed and when, not that the forward of",
      "it kept its content: it is reported apart (PARTLY VERIFIED, exit 1).",
      "",
      "TRUST and --rpc, --confirmations: as for chainseal verify (see chainseal verify --help).",
      "",
      "Problems with single files of an archive are printed; a message they affect is missing from the trace.",
      "",
      "Exit codes: 0 a whole chain back to its original, every hop VERIFIED by a trusted publisher; 1 a break,",
      "another verdict, or a chain that ends at an erased message; 2 bad usage, an archive without one readable",
      "message, or missing trust settings; 3 the verifier itself failed (a bug).",
      "");

  private static final Set<String> OPTIONS = Set.of("--bundle", "--conversation", "--message-id", "--clock-skew-seconds",
      "--rpc", "--confirmations", "--trust-file", "--chain-id", "--contract", "--publisher");
  private static final Set<String> FLAGS = Set.of("--insecure-any-publisher", "--require-sender-signature");

  private ProvenanceCommand() {}

  static int run(List<String> args, PrintStream out, Map<String, String> environment) throws UsageException {
    Options options = new Options(args, OPTIONS, FLAGS);
    List<String> bundles = options.all("--bundle");
    if (bundles.isEmpty()) {
      throw new UsageException("missing --bundle (an exported conversation; repeat it for each conversation of the chain)");
    }
    String conversation = options.optional("--conversation");
    String messageId = options.optional("--message-id");
    if ((conversation == null) != (messageId == null)) {
      throw new UsageException("--conversation and --message-id go together");
    }
    long skew = options.longValue("--clock-skew-seconds", 0, 0);
    if (skew > ForwardTrace.MAX_CLOCK_SKEW.toSeconds()) {
      throw new UsageException("--clock-skew-seconds must be at most " + ForwardTrace.MAX_CLOCK_SKEW.toSeconds() + ", got " + skew);
    }
    List<StoreEntry> messages = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String bundle : bundles) {
      Path archive = Path.of(bundle);
      if (!Files.isRegularFile(archive)) {
        throw new UsageException(printable(bundle) + ": no such file");
      }
      ConversationBundle.Contents contents = ConversationBundle.read(archive);
      if (contents.messages().isEmpty()) {
        throw new UsageException(printable(bundle) + ": no readable messages" + (contents.problems().isEmpty() ? ""
            : " (" + printable(contents.problems().get(0).file() + ": " + contents.problems().get(0).reason()) + ")"));
      }
      messages.addAll(contents.messages());
      contents.problems().forEach(p -> problems.add(archive.getFileName() + " " + p.file() + ": " + p.reason()));
    }
    MessageRef start;
    try {
      start = conversation != null ? new MessageRef(conversation, messageId) : latestForward(messages);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--conversation/--message-id: " + e.getMessage());
    }
    VerifyCommand.Setup setup = VerifyCommand.setup(options, environment);
    TrustSettings trust = setup.trust();
    try (ChainClient chain = ChainClient.builder(setup.rpc()).timeout(Duration.ofSeconds(10)).maxAttempts(3).build()) {
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).trust(trust).confirmations(setup.confirmations())
          .offline(OfflineVerifier.withPolicy(setup.policy())).build();
      ForwardTrace trace = ForwardTrace.trace(start, messages, verifier, Duration.ofSeconds(skew));
      out.println("trace      " + printable(name(start)) + " through " + messages.size() + " messages from "
          + bundles.size() + " archive" + (bundles.size() == 1 ? "" : "s"));
      for (String problem : problems) {
        out.println("problem    " + printable(problem));
      }
      boolean internal = false;
      for (ForwardTrace.Hop hop : trace.hops()) {
        print(hop, out);
        internal |= hop.verdict().status() == VerificationStatus.VERIFIER_ERROR;
        for (ForwardTrace.Break broken : trace.breaksAt(hop.index())) {
          out.println("  BREAK    " + broken.kind() + ": " + printable(broken.reason()));
        }
      }
      if (trace.hops().isEmpty()) {
        trace.breaks().forEach(b -> out.println("BREAK      " + b.kind() + ": " + printable(b.reason())));
      }
      out.println("verdict    " + verdict(trace));
      out.println("trusting   chain " + trust.chainId() + ", contracts " + trust.contracts().keySet() + ", publishers "
          + (trust.acceptsAnyPublisher() ? "ANY (insecure)" : trust.publishers().toString()));
      if (internal) {
        return Main.INTERNAL;
      }
      return trace.verified() ? Main.OK : Main.NEGATIVE;
    }
  }

  private static String verdict(ForwardTrace trace) {
    int forwards = trace.hops().size() - 1;
    String chain = forwards + " forward" + (forwards == 1 ? "" : "s");
    if (trace.verified()) {
      ForwardTrace.Hop original = trace.earliest().orElseThrow();
      return "VERIFIED: " + chain + " back to the original, " + sender(original);
    }
    if (trace.verifiedToErasedSource()) {
      ForwardTrace.Hop erased = trace.earliest().orElseThrow();
      return "PARTLY VERIFIED: " + chain + " back to an erased message that existed by "
          + erased.existedBy().map(Object::toString).orElse("?") + "; whether hop 1 kept its content cannot be checked";
    }
    if (trace.breaks().isEmpty()) {
      return "BROKEN: a publisher was not trusted by name (--insecure-any-publisher)";
    }
    ForwardTrace.Break first = trace.breaks().get(0);
    return "BROKEN: first at hop " + first.hop() + " (" + first.kind() + "), " + trace.breaks().size() + " break"
        + (trace.breaks().size() == 1 ? "" : "s");
  }

  /** Who sent a message, and how far the proof binds that. */
  private static String sender(ForwardTrace.Hop hop) {
    String id = printable(hop.senderId().orElseThrow());
    return switch (hop.verdict().senderBinding().orElse(io.chainseal.core.SenderBinding.UNSIGNED)) {
      case SENDER_KEY -> "sent by " + id + " (signed by the key the message declares for its sender)";
      case UNSIGNED -> "claiming sender " + id + " (unsigned: the sender is the message's word)";
      default -> "claiming sender " + id + " (signed by a key the message does not declare for its sender)";
    };
  }

  private static void print(ForwardTrace.Hop hop, PrintStream out) {
    String link = switch (hop.link()) {
      case ORIGINAL -> "original";
      case BY_COMMITMENT -> "forward (source named by commitment)";
      case BY_IDS -> "forward (source named by ids only)";
      case UNKNOWN -> "erased";
    };
    ProvenanceResult verdict = hop.verdict();
    out.println("hop " + pad(hop.index()) + printable(name(hop.ref())) + "  " + link + "  " + verdict.status());
    if (!hop.erased()) {
      MessageEnvelope envelope = hop.envelope().orElseThrow();
      out.println("  sender   " + sender(hop));
      out.println("  sent     " + envelope.timestamp() + " (claimed)");
      out.println("  content  sha256 " + Forwarding.contentDigest(envelope).hex()
          + (envelope.attachments().isEmpty() ? "" : " + " + envelope.attachments().size() + " attachments"));
    } else {
      out.println("  content  erased; commitment " + hop.commitment().hex());
    }
    if (verdict.existedBy().isPresent()) {
      out.println("  existed  by " + verdict.existedBy().get() + verdict.anchor().map(a -> " (block " + a.blockNumber() + ")").orElse("")
          + verdict.publisher().map(p -> ", publisher " + p).orElse(""));
    }
    if (!verdict.isVerified()) {
      out.println("  verdict  " + verdict.status() + ": " + printable(verdict.reason()));
    }
  }

  private static String pad(int index) {
    String text = Integer.toString(index);
    return text + " ".repeat(Math.max(1, 7 - text.length()));
  }

  /** The one forward among {@code messages} that no other message forwards. */
  private static MessageRef latestForward(List<StoreEntry> messages) throws UsageException {
    Set<MessageRef> sourcesByIds = new HashSet<>();
    Set<io.chainseal.core.Hash32> sourcesByCommitment = new HashSet<>();
    List<StoreEntry> forwards = new ArrayList<>();
    for (StoreEntry entry : messages) {
      if (entry.message().isEmpty()) {
        continue;
      }
      MessageEnvelope envelope = entry.message().get().envelope();
      if (envelope.forwardedFrom().isPresent()) {
        forwards.add(entry);
        sourcesByIds.add(envelope.forwardedFrom().get());
        try {
          Forwarding.sourceCommitment(envelope).ifPresent(sourcesByCommitment::add);
        } catch (FormatException e) {
          // the trace reports the malformed header at its hop
        }
      }
    }
    List<MessageRef> latest = forwards.stream()
        .filter(e -> !sourcesByIds.contains(e.ref()) && !sourcesByCommitment.contains(e.commitment()))
        .map(StoreEntry::ref).toList();
    if (latest.size() == 1) {
      return latest.get(0);
    }
    throw new UsageException((latest.isEmpty() ? "the archives hold no forward to trace"
        : "the archives hold " + latest.size() + " forwards that nothing forwards (" + printable(String.join(", ", latest.subList(0, Math.min(3,
            latest.size())).stream().map(ProvenanceCommand::name).toList())) + (latest.size() > 3 ? ", …" : "") + ")")
        + ": name the message with --conversation and --message-id");
  }

  private static String name(MessageRef ref) {
    return ref.conversationId() + "/" + ref.messageId();
  }
}
