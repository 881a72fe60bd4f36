package io.chainseal.governance;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.TypedData;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.governance.internal.VoteDigest;
import io.chainseal.governance.internal.WellFormed;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A member's vote as EIP-712 typed data: in the domain ("Chainseal Governance", "1", chain id), the
 * message {@code Vote(bytes32 proposal, string group, uint32[] choices, uint64[] shares, uint64
 * timestamp, address voter)} — so a vote cannot be replayed on another proposal, group or chain.
 * {@link #typedDataJson()} is what {@code eth_signTypedData_v4} takes: a member may sign it in any
 * browser wallet. Choices are 0-based; {@code shares} is empty except for weighted and quadratic
 * votes, where it gives each choice's share; ranked-choice votes list choices in order of preference.
 *
 * @param chainId the chain of the proposal (and of the voters' tokens)
 * @param proposal the proposal's id
 * @param group the group (conversation) the proposal belongs to
 * @param choices the choices, in order
 * @param shares each choice's share (weighted, quadratic), else empty
 * @param timestamp when the vote was cast (whole seconds)
 * @param voter the voting account
 */
public record Vote(long chainId, Hash32 proposal, String group, List<Integer> choices, List<Long> shares, Instant timestamp, EvmAddress voter) {
  static final String DOMAIN_NAME = "Chainseal Governance";
  static final String DOMAIN_VERSION = "1";

  public Vote {
    Objects.requireNonNull(proposal, "proposal == null");
    Objects.requireNonNull(group, "group == null");
    Objects.requireNonNull(timestamp, "timestamp == null");
    Objects.requireNonNull(voter, "voter == null");
    choices = List.copyOf(choices);
    shares = List.copyOf(shares);
    WellFormed.text(group, "group");
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    if (choices.isEmpty() || choices.stream().anyMatch(c -> c < 0)) {
      throw new IllegalArgumentException("a vote names at least one choice, each 0 or more");
    }
    if (!shares.isEmpty() && (shares.size() != choices.size() || shares.stream().anyMatch(s -> s <= 0))) {
      throw new IllegalArgumentException("shares, when given, are positive and one per choice");
    }
    if (timestamp.getEpochSecond() < 0) {
      throw new IllegalArgumentException("timestamp before 1970: " + timestamp);
    }
    timestamp = Instant.ofEpochSecond(timestamp.getEpochSecond());
  }

  /** The vote as the ballot its voting type counts. */
  public Ballot ballot(VotingType type) {
    return switch (type) {
      case SINGLE_CHOICE -> {
        if (choices.size() != 1) {
          throw new IllegalArgumentException("a single-choice vote names one choice");
        }
        yield Ballot.single(choices.get(0));
      }
      case APPROVAL -> Ballot.approval(new java.util.LinkedHashSet<>(choices));
      case WEIGHTED, QUADRATIC -> {
        java.util.Map<Integer, Long> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < choices.size(); i++) {
          try {
            map.merge(choices.get(i), shares.isEmpty() ? 1L : shares.get(i), Math::addExact);
          } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the shares of choice " + choices.get(i) + " add up to more than 2^63 - 1");
          }
        }
        yield Ballot.weighted(map);
      }
      case RANKED_CHOICE -> Ballot.ranked(choices);
    };
  }

  TypedData typedData() {
    TypedData data = new TypedData("Vote", DOMAIN_NAME, DOMAIN_VERSION, chainId, null).type("Vote", "proposal", "bytes32", "group",
        "string", "choices", "uint32[]", "shares", "uint64[]", "timestamp", "uint64", "voter", "address");
    data.message().put("proposal", proposal.hex0x());
    data.message().put("group", group);
    choices.forEach(data.message().putArray("choices")::add);
    shares.forEach(data.message().putArray("shares")::add);
    data.message().put("timestamp", timestamp.getEpochSecond());
    data.message().put("voter", voter.lowercase());
    return data;
  }

  /** The typed data, as {@code eth_signTypedData_v4} takes it. */
  public String typedDataJson() {
    return typedData().json();
  }

  /** The EIP-712 digest the voter signs (equal to {@code TypedData.digest(typedDataJson())}, computed directly). */
  public Hash32 digest() {
    return digest(domainSeparator(chainId));
  }

  /** The digest, with the domain separator of this vote's chain already computed (a count does it once). */
  Hash32 digest(byte[] domainSeparator) {
    return VoteDigest.digest(domainSeparator, proposal, group, choices, shares, timestamp.getEpochSecond(), voter);
  }

  static byte[] domainSeparator(long chainId) {
    return VoteDigest.domainSeparator(DOMAIN_NAME, DOMAIN_VERSION, chainId);
  }

  /**
   * Signs the vote with the voter's key.
   *
   * @throws IllegalArgumentException if {@code signer} is not the vote's voter
   */
  public SignedVote sign(EvmSigner signer) {
    if (!signer.address().equals(voter)) {
      throw new IllegalArgumentException("the vote is " + voter + "'s, the signer is " + signer.address());
    }
    EcdsaSignature signature = signer.signChecked(digest());
    return new SignedVote(this, signature);
  }
}
