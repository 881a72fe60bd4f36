package io.chainseal.governance;

import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.PendingProof;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.Salt;
import io.chainseal.core.internal.NodeHasher;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.web3j.utils.Numeric;

/**
 * Everything a count rested on — the signed proposal, every vote with its outcome (counted with its
 * weight, or rejected with its reason), and the result — in a fixed order, with a Merkle root
 * ({@link #root()}) that is anchored through sdk-anchor ({@link #anchor}). Anyone holding the
 * transcript recounts it with {@link TallyVerifier}, against the chain's weights and the anchor.
 *
 * <p>The leaves, hashed as RFC 6962 leaves ({@link MerkleTree#ofLeafData}), are:
 * <ol>
 *   <li>{@code 0x01 ‖ proposal id (32) ‖ author's signature (65)};
 *   <li>per vote, in ascending order of these bytes: {@code 0x02 ‖ vote digest (32) ‖ signature (65)
 *       ‖ outcome (1) ‖ weight (32, big-endian; 0 if rejected)}, where the outcome is 0 if counted, else
 *       the rejection's {@link VoteRejection#code()};
 *   <li>{@code 0x03 ‖ SHA-256 of the result's canonical text} ({@link #resultText}).
 * </ol>
 * The anchored message is {@link #envelope()}: conversation = the group, message id {@code
 * tally:<proposal id hex>}, sender {@code chainseal-governance}, time = the proposal's end, text
 * {@code chainseal-tally/1 <root hex>}, with the salt derived from the root ({@link #salt()}) — the
 * transcript is public, so the salt hides nothing and need not be kept.
 *
 * @param proposal the signed proposal
 * @param entries every vote and its outcome, in leaf order
 * @param result the tally
 */
public record TallyTranscript(SignedProposal proposal, List<Entry> entries, TallyResult result) {
  /** The sender id of anchored tallies. */
  public static final String SENDER = "chainseal-governance";

  /**
   * One vote and its outcome: a weight if it counted, a reason if not.
   *
   * @param vote the signed vote as received
   * @param weight its voter's weight at the snapshot, if it counted
   * @param rejection why it did not count, if it did not
   */
  public record Entry(SignedVote vote, @Nullable BigInteger weight, @Nullable VoteRejection rejection) {
    public Entry {
      Objects.requireNonNull(vote, "vote == null");
      if ((weight == null) == (rejection == null)) {
        throw new IllegalArgumentException("an entry has a weight (counted) or a rejection, not both or neither");
      }
      if (weight != null && (weight.signum() <= 0 || weight.bitLength() > 256)) {
        throw new IllegalArgumentException("a counted vote's weight is a positive uint256, got " + weight);
      }
    }

    /** Whether the vote counted. */
    public boolean counted() {
      return weight != null;
    }

    byte[] leaf() {
      ByteBuffer leaf = ByteBuffer.allocate(1 + 32 + 65 + 1 + 32);
      leaf.put((byte) 0x02);
      leaf.put(vote.digest().orElse(Hash32.of(new byte[Hash32.LENGTH])).bytes());
      leaf.put(vote.signature().bytes());
      leaf.put(rejection == null ? 0 : (byte) rejection.code());
      leaf.put(Numeric.toBytesPadded(weight == null ? BigInteger.ZERO : weight, 32));
      return leaf.array();
    }
  }

  public TallyTranscript {
    Objects.requireNonNull(proposal, "proposal == null");
    Objects.requireNonNull(result, "result == null");
    entries = List.copyOf(entries);
  }

  /** The transcript of {@code count}, a count of {@code proposal}'s votes. */
  public static TallyTranscript of(SignedProposal proposal, VoteCount.Result count) {
    List<Entry> entries = new ArrayList<>(count.counted().size() + count.rejected().size());
    count.counted().forEach(c -> entries.add(new Entry(c.vote(), c.weight(), null)));
    count.rejected().forEach(r -> entries.add(new Entry(r.vote(), null, r.reason())));
    List<byte[]> leaves = entries.parallelStream().map(Entry::leaf).toList();
    List<Integer> order = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing(leaves::get, java.util.Arrays::compareUnsigned));
    return new TallyTranscript(proposal, order.stream().map(entries::get).toList(), count.tally());
  }

  /** The votes as received (in leaf order). */
  public List<SignedVote> votes() {
    return entries.stream().map(Entry::vote).toList();
  }

  /** The Merkle root of the leaves described above. */
  public Hash32 root() {
    List<byte[]> leaves = new ArrayList<>(entries.size() + 2);
    ByteBuffer first = ByteBuffer.allocate(1 + 32 + 65);
    first.put((byte) 0x01).put(proposal.proposal().id().bytes()).put(proposal.signature().bytes());
    leaves.add(first.array());
    entries.parallelStream().map(Entry::leaf).forEachOrdered(leaves::add);
    ByteArrayOutputStream last = new ByteArrayOutputStream();
    last.write(0x03);
    last.writeBytes(NodeHasher.newSha256().digest(resultText(result).getBytes(StandardCharsets.UTF_8)));
    leaves.add(last.toByteArray());
    return MerkleTree.ofLeafData(leaves).root();
  }

  /**
   * The result's canonical text: lines {@code totals=}, {@code winners=}, {@code votingWeight=},
   * {@code quorumReached=}, {@code rounds=} (rounds separated by {@code ;}), {@code eliminated=}; lists
   * comma-separated, numbers in plain decimal.
   */
  public static String resultText(TallyResult result) {
    return "totals=" + decimals(result.totals()) + "\nwinners=" + join(result.winners()) + "\nvotingWeight=" + result.votingWeight()
        + "\nquorumReached=" + result.quorumReached() + "\nrounds="
        + result.rounds().stream().map(TallyTranscript::decimals).collect(Collectors.joining(";")) + "\neliminated="
        + join(result.eliminated()) + "\n";
  }

  private static String decimals(List<BigDecimal> values) {
    return values.stream().map(BigDecimal::toPlainString).collect(Collectors.joining(","));
  }

  private static String join(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** The message that carries the root on chain (see the class description). */
  public MessageEnvelope envelope() {
    Proposal p = proposal.proposal();
    return MessageEnvelope.builder().conversationId(p.group()).messageId("tally:" + p.id().hex()).senderId(SENDER)
        .timestamp(p.end()).text("chainseal-tally/1 " + root().hex()).build();
  }

  /** The salt of {@link #envelope()}: SHA-256 of {@code "chainseal-tally-salt/1"} and the root. */
  public Salt salt() {
    var sha = NodeHasher.newSha256();
    sha.update("chainseal-tally-salt/1".getBytes(StandardCharsets.UTF_8));
    return Salt.of(sha.digest(root().bytes()));
  }

  /** Submits {@link #envelope()} to {@code anchorer}: its proof is the tally's anchor. */
  public PendingProof anchor(Anchorer anchorer) {
    return anchorer.submit(envelope(), salt());
  }

  /** The first entry whose vote or outcome differs from {@code other}'s, or the result if only it differs. */
  Optional<String> firstDifference(TallyTranscript other) {
    if (!proposal.equals(other.proposal)) {
      return Optional.of("the proposal");
    }
    for (int i = 0; i < Math.max(entries.size(), other.entries.size()); i++) {
      if (i >= entries.size() || i >= other.entries.size()) {
        return Optional.of(entries.size() + " votes recorded, " + other.entries.size() + " recounted");
      }
      Entry mine = entries.get(i);
      Entry theirs = other.entries.get(i);
      if (!mine.equals(theirs)) {
        return Optional.of("vote " + i + " of " + mine.vote().vote().voter() + ": recorded "
            + (mine.counted() ? "counted with weight " + mine.weight() : "rejected, " + mine.rejection()) + ", recounted "
            + (theirs.counted() ? "counted with weight " + theirs.weight() : "rejected, " + theirs.rejection()));
      }
    }
    if (!resultText(result).equals(resultText(other.result))) {
      return Optional.of("the result");
    }
    return Optional.empty();
  }
}
