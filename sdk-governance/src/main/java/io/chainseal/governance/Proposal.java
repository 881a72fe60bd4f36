package io.chainseal.governance;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.TypedData;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.governance.internal.WellFormed;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A proposal put to a group, as EIP-712 typed data its author signs: in the domain ("Chainseal
 * Governance", "1", chain id), the message {@code Proposal(string group, string title, bytes32 body,
 * string[] choices, string votingType, uint64 start, uint64 end, uint64 snapshotBlock, string weights,
 * uint256 quorum, address author)}. Its {@link #id()} is that typed data's digest, so the id binds
 * every field and the chain: votes name it, and a vote for one proposal counts for no other.
 *
 * @param chainId the chain whose tokens weigh (and whose id votes are signed for)
 * @param group the group (conversation) deciding
 * @param title a short title
 * @param body the SHA-256 of the proposal's full text (the text travels in the chat)
 * @param choices the choices' labels, at least 2; votes name them by 0-based index
 * @param type how ballots are counted
 * @param start votes timestamped earlier are EARLY
 * @param end votes timestamped later are LATE
 * @param snapshotBlock the block whose weights count (a block before the proposal opened)
 * @param weights the {@link WeightStrategy#id()} of the strategy that weighs votes
 * @param quorum the least total weight of counted votes for the result to stand
 * @param author the account that signs the proposal
 */
public record Proposal(long chainId, String group, String title, Hash32 body, List<String> choices, VotingType type, Instant start,
    Instant end, long snapshotBlock, String weights, BigInteger quorum, EvmAddress author) {
  public Proposal {
    Objects.requireNonNull(group, "group == null");
    Objects.requireNonNull(title, "title == null");
    Objects.requireNonNull(body, "body == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(end, "end == null");
    Objects.requireNonNull(weights, "weights == null");
    Objects.requireNonNull(quorum, "quorum == null");
    Objects.requireNonNull(author, "author == null");
    choices = List.copyOf(choices);
    WellFormed.text(group, "group");
    WellFormed.text(title, "title");
    WellFormed.text(weights, "weights");
    for (String choice : choices) {
      WellFormed.text(choice, "a choice");
    }
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    if (group.isEmpty()) {
      throw new IllegalArgumentException("group is empty");
    }
    if (choices.size() < 2) {
      throw new IllegalArgumentException("a proposal has at least 2 choices, got " + choices.size());
    }
    if (snapshotBlock < 0 || quorum.signum() < 0 || quorum.bitLength() > 256) {
      throw new IllegalArgumentException("the snapshot block is 0 or more, the quorum a uint256");
    }
    start = Instant.ofEpochSecond(start.getEpochSecond());
    end = Instant.ofEpochSecond(end.getEpochSecond());
    if (!end.isAfter(start) || start.getEpochSecond() < 0) {
      throw new IllegalArgumentException("voting ends after it starts, got " + start + " to " + end);
    }
  }

  TypedData typedData() {
    TypedData data = new TypedData("Proposal", Vote.DOMAIN_NAME, Vote.DOMAIN_VERSION, chainId, null).type("Proposal", "group", "string",
        "title", "string", "body", "bytes32", "choices", "string[]", "votingType", "string", "start", "uint64", "end", "uint64",
        "snapshotBlock", "uint64", "weights", "string", "quorum", "uint256", "author", "address");
    data.message().put("group", group);
    data.message().put("title", title);
    data.message().put("body", body.hex0x());
    choices.forEach(data.message().putArray("choices")::add);
    data.message().put("votingType", type.name());
    data.message().put("start", start.getEpochSecond());
    data.message().put("end", end.getEpochSecond());
    data.message().put("snapshotBlock", snapshotBlock);
    data.message().put("weights", weights);
    data.message().put("quorum", quorum.toString());
    data.message().put("author", author.lowercase());
    return data;
  }

  /** The typed data, as {@code eth_signTypedData_v4} takes it. */
  public String typedDataJson() {
    return typedData().json();
  }

  /** The proposal's id: the EIP-712 digest of its typed data (what its author signs). */
  public Hash32 id() {
    return typedData().digest();
  }

  /**
   * Signs the proposal with its author's key.
   *
   * @throws IllegalArgumentException if {@code signer} is not the author
   */
  public SignedProposal sign(EvmSigner signer) {
    if (!signer.address().equals(author)) {
      throw new IllegalArgumentException("the proposal is " + author + "'s, the signer is " + signer.address());
    }
    EcdsaSignature signature = signer.signChecked(id());
    return new SignedProposal(this, signature);
  }
}
