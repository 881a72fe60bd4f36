package io.chainseal.anchor;

import io.chainseal.core.FormatException;
import io.chainseal.core.Forwarding;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.StoreEntry;
import io.chainseal.core.VerificationResult;
import io.chainseal.core.VerificationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The provenance of a forwarded message: the chain of forwards from a message back to its original,
 * each hop verified on chain, and every place where the chain breaks, by hop. Build one with
 * {@link #trace}; hops are numbered from the earliest message found (hop 0, the original when the
 * chain is whole) to the message traced.
 *
 * <p>A forward names its source by {@code forwardedFrom} and — when made with
 * {@link Forwarding#forward} — by the source's commitment, which still identifies the source after it
 * was erased: the trace then shows that the original existed, by when and in which anchored batch,
 * and nothing of what it said. An erased message ends a trace (whether it was itself a forward is
 * gone with it).
 *
 * <p>A trace that ends at an erased message is never {@link #verified()}: the link to it cannot be checked
 * for content or time (see {@link #verifiedToErasedSource()}).
 *
 * <p>What a whole, verified trace shows: each hop was anchored by a trusted publisher by its block time,
 * signed as its proof says, and each forward carries its source's content unchanged and claims a time
 * no earlier than its source's. It does not show that the original's content is true, nor that the
 * original's sender wrote it rather than copied it from outside Chainseal.
 *
 * @param hops the messages found, from the earliest (hop 0) to the message traced
 * @param breaks every break found, each naming its hop; empty for a whole, verified chain
 */
public record ForwardTrace(List<Hop> hops, List<Break> breaks) {
  public ForwardTrace {
    hops = List.copyOf(hops);
    breaks = List.copyOf(breaks);
  }

  /** How a hop is tied to the message before it. */
  public enum Link {
    /** It forwards nothing: the original. */
    ORIGINAL,
    /** Its source is the message with the commitment it names (and the ids it names). */
    BY_COMMITMENT,
    /** Its source is named by ids only ({@code forwardedFrom} without the commitment header). */
    BY_IDS,
    /** It is erased: whether it forwarded anything cannot be known. */
    UNKNOWN
  }

  /** What breaks a chain of forwards. */
  public enum BreakKind {
    /** The message to trace is not among the messages given. */
    START_MISSING,
    /** A hop's proof does not verify (not anchored, tampered, untrusted publisher, …): the reason says which. */
    UNVERIFIED,
    /** A forward's content or attachments differ from its source's. */
    CONTENT_CHANGED,
    /**
     * A forward claims to be sent before its source was, or was anchored before the time its source
     * claims to be sent.
     */
    PREDATES_SOURCE,
    /** The source a forward names is not among the messages given. */
    SOURCE_MISSING,
    /** The message found under a forward's named commitment has other ids, or the ids' message another commitment. */
    SOURCE_MISMATCH,
    /** A forward names an erased source by ids alone: nothing ties the erased proof to those ids. */
    SOURCE_NOT_BOUND,
    /** Following the sources leads back to a message already in the chain. */
    CYCLE
  }

  /**
   * One break.
   *
   * @param hop the hop where it occurs
   * @param kind what broke
   * @param reason a sentence naming the messages and values involved
   */
  public record Break(int hop, BreakKind kind, String reason) {
    public Break {
      Objects.requireNonNull(kind, "kind == null");
      Objects.requireNonNull(reason, "reason == null");
    }
  }

  /**
   * One message of the chain.
   *
   * @param index its hop number (0 = the earliest found)
   * @param ref its ids (for an erased message, its archive's or store's word)
   * @param commitment its commitment
   * @param envelope the message, unless it was erased
   * @param link how it is tied to its source
   * @param verdict its proof's verdict: the block time by which it existed, the publisher, the signer
   */
  public record Hop(int index, MessageRef ref, Hash32 commitment, Optional<MessageEnvelope> envelope, Link link,
      ProvenanceResult verdict) {
    public Hop {
      Objects.requireNonNull(ref, "ref == null");
      Objects.requireNonNull(commitment, "commitment == null");
      Objects.requireNonNull(envelope, "envelope == null");
      Objects.requireNonNull(link, "link == null");
      Objects.requireNonNull(verdict, "verdict == null");
    }

    public boolean erased() {
      return envelope.isEmpty();
    }

    /** Who the message says sent it; empty once erased. */
    public Optional<String> senderId() {
      return envelope.map(MessageEnvelope::senderId);
    }

    /** The send time the message claims; empty once erased. */
    public Optional<Instant> sentAt() {
      return envelope.map(MessageEnvelope::timestamp);
    }

    /** The block time by which it existed, if its anchor was found. */
    public Optional<Instant> existedBy() {
      return verdict.existedBy();
    }

    /** The SHA-256 digest of its content ({@link Forwarding#contentDigest}); empty once erased. */
    public Optional<Hash32> contentDigest() {
      return envelope.map(Forwarding::contentDigest);
    }
  }

  /**
   * Whether the chain is whole back to its original: every hop verified by a trusted publisher, every
   * link checked (content and time), no break. False when the earliest message is erased: see
   * {@link #verifiedToErasedSource()}.
   */
  public boolean verified() {
    return allHopsVerified() && !hops.get(0).erased();
  }

  /**
   * Whether every hop verified by a trusted publisher and no link broke, back to an <em>erased</em>
   * earliest message: that a message with the commitment its forward names existed by its block time
   * is shown; whether that forward changed its content, or claims to predate it, cannot be checked any
   * more — and whoever hands over the messages can present any of them as erased. Weaker than {@link #verified()}.
   */
  public boolean verifiedToErasedSource() {
    return allHopsVerified() && hops.get(0).erased();
  }

  private boolean allHopsVerified() {
    return !hops.isEmpty() && breaks.isEmpty() && hops.stream().allMatch(hop -> hop.verdict().isVerifiedByTrustedPublisher());
  }

  /** The earliest message found: the original of a whole chain. */
  public Optional<Hop> earliest() {
    return hops.isEmpty() ? Optional.empty() : Optional.of(hops.get(0));
  }

  /** The breaks at hop {@code index}. */
  public List<Break> breaksAt(int index) {
    return breaks.stream().filter(b -> b.hop() == index).toList();
  }

  /** {@link #trace(MessageRef, Collection, ProvenanceVerifier, Duration)} with no allowance for clock skew. */
  public static ForwardTrace trace(MessageRef start, Collection<StoreEntry> messages, ProvenanceVerifier verifier) {
    return trace(start, messages, verifier, Duration.ZERO);
  }

  /**
   * Follows {@code start}'s sources back through {@code messages} (from a store, or read from archives
   * with {@link ConversationBundle#read}) and verifies each hop with {@code verifier}. Never throws for
   * bad input: every problem is a {@link Break}.
   *
   * @param clockSkew how much earlier than its source a forward's claimed time may be (senders' clocks
   *     differ); zero is strict
   */
  public static ForwardTrace trace(MessageRef start, Collection<StoreEntry> messages, ProvenanceVerifier verifier,
      Duration clockSkew) {
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(verifier, "verifier == null");
    Objects.requireNonNull(clockSkew, "clockSkew == null");
    if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException("clockSkew must be between zero and " + MAX_CLOCK_SKEW + ", got " + clockSkew);
    }
    Map<MessageRef, StoreEntry> byRef = new HashMap<>();
    Map<Hash32, StoreEntry> byCommitment = new HashMap<>();
    Set<MessageRef> ambiguousRefs = new HashSet<>();
    Set<Hash32> ambiguousCommitments = new HashSet<>();
    Set<MessageRef> mislabelled = new HashSet<>();
    for (StoreEntry entry : messages) {
      Objects.requireNonNull(entry, "messages holds null");
      if (entry.message().isPresent() && !entry.ref().equals(idsOf(entry.message().get().envelope()))) {
        mislabelled.add(entry.ref()); // listed under other ids than its envelope's: the listing is not the message's word
        continue;
      }
      // The same message twice (from two archives, say): keep the copy that still has its content. Two
      // different messages under one pair of ids or one commitment: neither can be named by it.
      StoreEntry before = byRef.get(entry.ref());
      if (before == null || (before.commitment().equals(entry.commitment()) && before.erased() && !entry.erased())) {
        byRef.put(entry.ref(), entry);
      } else if (!before.commitment().equals(entry.commitment())) {
        ambiguousRefs.add(entry.ref());
      }
      StoreEntry sameCommitment = byCommitment.get(entry.commitment());
      if (sameCommitment == null || (sameCommitment.ref().equals(entry.ref()) && sameCommitment.erased() && !entry.erased())) {
        byCommitment.put(entry.commitment(), entry);
      } else if (!sameCommitment.ref().equals(entry.ref())) {
        ambiguousCommitments.add(entry.commitment());
      }
    }
    ambiguousRefs.forEach(byRef::remove);
    ambiguousCommitments.forEach(byCommitment::remove);
    @Nullable StoreEntry current = byRef.get(start);
    if (current == null) {
      String why = ambiguousRefs.contains(start) ? " is claimed by two different messages among those given"
          : mislabelled.contains(start) ? " is listed with a message that carries other ids"
          : " is not among the " + messages.size() + " messages given";
      return new ForwardTrace(List.of(), List.of(new Break(0, BreakKind.START_MISSING, name(start) + why)));
    }
    // Walk from the traced message back; hops and breaks are numbered once the length is known.
    List<Walked> walked = new ArrayList<>();
    Set<Hash32> seen = new HashSet<>();
    while (current != null) {
      seen.add(current.commitment());
      Walked hop = new Walked(current, verify(current, verifier));
      walked.add(hop);
      if (!hop.verdict.isVerifiedByTrustedPublisher()) {
        hop.breaks.add(new Pending(BreakKind.UNVERIFIED, hop.verdict.status() + ": " + hop.verdict.reason()));
      }
      current = source(hop, byRef, byCommitment, seen, clockSkew);
    }
    int last = walked.size() - 1;
    List<Hop> hops = new ArrayList<>();
    List<Break> breaks = new ArrayList<>();
    for (int i = last; i >= 0; i--) {
      Walked w = walked.get(i);
      hops.add(new Hop(last - i, w.entry.ref(), w.entry.commitment(), w.entry.message().map(m -> m.envelope()), w.link,
          w.verdict));
      for (Pending pending : w.breaks) {
        breaks.add(new Break(last - i, pending.kind(), pending.reason()));
      }
    }
    return new ForwardTrace(hops, breaks);
  }

  /** The most {@link #trace(MessageRef, Collection, ProvenanceVerifier, Duration)} allows for senders' clocks. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

  private static MessageRef idsOf(MessageEnvelope envelope) {
    return new MessageRef(envelope.conversationId(), envelope.messageId());
  }

  private record Pending(BreakKind kind, String reason) {}

  /** A hop while walking back: its entry, verdict, link and breaks. */
  private static final class Walked {
    final StoreEntry entry;
    final ProvenanceResult verdict;
    Link link = Link.ORIGINAL;
    final List<Pending> breaks = new ArrayList<>();

    Walked(StoreEntry entry, ProvenanceResult verdict) {
      this.entry = entry;
      this.verdict = verdict;
    }
  }

  private static ProvenanceResult verify(StoreEntry entry, ProvenanceVerifier verifier) {
    Optional<MessageProof> proof = entry.proof();
    if (proof.isEmpty()) {
      return ProvenanceResult.of(VerificationResult.of(VerificationStatus.NOT_ANCHORED, name(entry.ref()) + " has no proof yet"));
    }
    if (!proof.get().commitment().equals(entry.commitment())) {
      return ProvenanceResult.of(VerificationResult.of(VerificationStatus.BAD_PROOF, "the proof given for " + name(entry.ref())
          + " proves commitment " + proof.get().commitment().hex() + ", not its commitment " + entry.commitment().hex()));
    }
    return entry.message().isEmpty() ? verifier.verifyErased(proof.get())
        : verifier.verify(entry.message().get().envelope(), entry.message().get().salt(), proof.get());
  }

  /**
   * The source of {@code hop}, or null where the chain ends (the original, an erased message, a break
   * that leaves no source); records the hop's link and the breaks between it and its source.
   */
  private static @Nullable StoreEntry source(Walked hop, Map<MessageRef, StoreEntry> byRef, Map<Hash32, StoreEntry> byCommitment,
      Set<Hash32> seen, Duration clockSkew) {
    if (hop.entry.message().isEmpty()) {
      hop.link = Link.UNKNOWN;
      return null;
    }
    MessageEnvelope forward = hop.entry.message().get().envelope();
    Optional<MessageRef> named = forward.forwardedFrom();
    if (named.isEmpty()) {
      hop.link = Link.ORIGINAL;
      return null;
    }
    MessageRef ref = named.get();
    Optional<Hash32> commitment;
    try {
      commitment = Forwarding.sourceCommitment(forward);
    } catch (FormatException e) {
      hop.link = Link.BY_IDS;
      hop.breaks.add(new Pending(BreakKind.SOURCE_MISMATCH, "it names its source " + name(ref) + " with a malformed commitment ("
          + e.getMessage() + ")"));
      return null;
    }
    StoreEntry source;
    if (commitment.isPresent()) {
      hop.link = Link.BY_COMMITMENT;
      source = byCommitment.get(commitment.get());
      if (source == null) {
        StoreEntry other = byRef.get(ref);
        hop.breaks.add(other == null
            ? new Pending(BreakKind.SOURCE_MISSING, "its source " + name(ref) + " (commitment " + commitment.get().hex()
                + ") is not among the messages given (or two messages with different ids claim that commitment)")
            : new Pending(BreakKind.SOURCE_MISMATCH, "it names source " + name(ref) + " with commitment " + commitment.get().hex()
                + ", but " + name(ref) + " has commitment " + other.commitment().hex()));
        return null;
      }
      if (!source.ref().equals(ref)) {
        hop.breaks.add(new Pending(BreakKind.SOURCE_MISMATCH, "it names source " + name(ref) + ", but commitment "
            + commitment.get().hex() + " is " + name(source.ref())));
        return null;
      }
    } else {
      hop.link = Link.BY_IDS;
      source = byRef.get(ref);
      if (source == null) {
        hop.breaks.add(new Pending(BreakKind.SOURCE_MISSING, "its source " + name(ref) + " is not among the messages given"
            + " (or two different messages claim those ids)"));
        return null;
      }
      if (source.message().isEmpty()) {
        hop.breaks.add(new Pending(BreakKind.SOURCE_NOT_BOUND, "it names its source " + name(ref) + " by ids alone and that source"
            + " is erased: nothing ties the erased proof (commitment " + source.commitment().hex() + ") to those ids"));
      }
    }
    if (seen.contains(source.commitment())) {
      hop.breaks.add(new Pending(BreakKind.CYCLE, "its source " + name(ref) + " is already in the chain"));
      return null;
    }
    compare(hop, source, clockSkew);
    return source;
  }

  /** Content and time between a forward and its source. */
  private static void compare(Walked hop, StoreEntry source, Duration clockSkew) {
    MessageEnvelope forward = hop.entry.message().orElseThrow().envelope();
    if (source.message().isEmpty()) {
      return; // erased: neither its content nor its claimed time is left to compare
    }
    MessageEnvelope original = source.message().get().envelope();
    Hash32 forwardDigest = Forwarding.contentDigest(forward);
    Hash32 sourceDigest = Forwarding.contentDigest(original);
    if (!forwardDigest.equals(sourceDigest)) {
      hop.breaks.add(new Pending(BreakKind.CONTENT_CHANGED, "its content digest " + forwardDigest.hex()
          + " differs from its source's " + sourceDigest.hex()));
    } else if (!forward.attachments().equals(original.attachments())) {
      hop.breaks.add(new Pending(BreakKind.CONTENT_CHANGED, "its attachments (" + forward.attachments().size()
          + ") differ from its source's (" + original.attachments().size() + ")"));
    }
    Instant sourceSent = original.timestamp().minus(clockSkew);
    if (forward.timestamp().isBefore(sourceSent)) {
      hop.breaks.add(new Pending(BreakKind.PREDATES_SOURCE, "it claims to be sent at " + forward.timestamp()
          + ", before its source " + name(source.ref()) + " (sent at " + original.timestamp() + ")"));
    }
    Optional<Instant> existedBy = hop.verdict.existedBy();
    if (existedBy.isPresent() && existedBy.get().isBefore(sourceSent)) {
      hop.breaks.add(new Pending(BreakKind.PREDATES_SOURCE, "it existed by " + existedBy.get() + " (its anchor's block time),"
          + " before its source " + name(source.ref()) + " claims to be sent (" + original.timestamp() + ")"));
    }
  }

  /** {@code conversation/message}, for reasons. */
  static String name(MessageRef ref) {
    return ref.conversationId() + "/" + ref.messageId();
  }
}
