package io.chainseal.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Vote} with the voter's EIP-712 signature — signed by Chainseal ({@link Vote#sign}) or by any
 * wallet from {@link Vote#typedDataJson()}.
 *
 * @param vote what was voted
 * @param signature the voter's signature over {@link Vote#digest()} (65 bytes r ‖ s ‖ v, low s)
 */
public record SignedVote(Vote vote, EcdsaSignature signature) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TYPE = "chainseal.vote";
  private static final int MAX_BYTES = 16 * 1024;
  private static final Set<String> FIELDS = Set.of("type", "version", "chainId", "proposal", "group", "choices", "shares",
      "timestamp", "voter", "signature");

  public SignedVote {
    Objects.requireNonNull(vote, "vote == null");
    Objects.requireNonNull(signature, "signature == null");
  }

  /**
   * The vote and signature as compact JSON, to carry in a chat message: {@code {"type":"chainseal.vote",
   * "version":1,"chainId":…,"proposal":"hex","group":…,"choices":[…],"shares":[…],"timestamp":seconds,
   * "voter":"0x…","signature":"0x…"}}. A receiver parses it with {@link #fromJson} and checks it with
   * {@link #check} (or counts it): the JSON is the sender's claim until then.
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", TYPE);
    root.put("version", 1);
    root.put("chainId", vote.chainId());
    root.put("proposal", vote.proposal().hex());
    root.put("group", vote.group());
    ArrayNode choices = root.putArray("choices");
    vote.choices().forEach(choices::add);
    ArrayNode shares = root.putArray("shares");
    vote.shares().forEach(shares::add);
    root.put("timestamp", vote.timestamp().getEpochSecond());
    root.put("voter", vote.voter().checksummed());
    root.put("signature", signature.hex0x());
    return root.toString();
  }

  /**
   * Parses {@link #toJson}'s form.
   *
   * @throws FormatException naming the field that is missing, unknown or malformed
   */
  public static SignedVote fromJson(String json) throws FormatException {
    Objects.requireNonNull(json, "json == null");
    if (json.length() > MAX_BYTES) {
      throw new FormatException("", "a vote is at most " + MAX_BYTES + " characters");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new FormatException("", "not JSON");
    }
    if (root == null || !root.isObject() || !TYPE.equals(root.path("type").asText()) || root.path("version").asInt() != 1) {
      throw new FormatException("type", "not a " + TYPE + " version 1");
    }
    for (java.util.Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new FormatException(name, "unknown field");
      }
    }
    try {
      List<Integer> choices = new ArrayList<>();
      for (JsonNode choice : array(root, "choices")) {
        if (!choice.canConvertToInt()) {
          throw new FormatException("choices", "not a whole number");
        }
        choices.add(choice.intValue());
      }
      List<Long> shares = new ArrayList<>();
      for (JsonNode share : array(root, "shares")) {
        if (!share.canConvertToLong()) {
          throw new FormatException("shares", "not a whole number");
        }
        shares.add(share.longValue());
      }
      if (!root.path("chainId").canConvertToLong() || !root.path("timestamp").canConvertToLong()) {
        throw new FormatException("chainId", "chainId and timestamp are whole numbers");
      }
      Vote vote = new Vote(root.get("chainId").longValue(), Hash32.fromHex(text(root, "proposal")), text(root, "group"), choices,
          shares, Instant.ofEpochSecond(root.get("timestamp").longValue()), EvmAddress.fromHex(text(root, "voter")));
      return new SignedVote(vote, EcdsaSignature.ofHex(text(root, "signature")));
    } catch (IllegalArgumentException e) {
      throw new FormatException("", "not a valid vote: " + e.getMessage());
    }
  }

  private static String text(JsonNode root, String field) throws FormatException {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual()) {
      throw new FormatException(field, "missing, or not text");
    }
    return node.asText();
  }

  private static JsonNode array(JsonNode root, String field) throws FormatException {
    JsonNode node = root.get(field);
    if (node == null || !node.isArray()) {
      throw new FormatException(field, "missing, or not an array");
    }
    return node;
  }

  /**
   * Checks the vote against the proposal it is counted for: its chain, proposal and group, and that the
   * signature recovers to the vote's voter (a tampered vote recovers to someone else).
   *
   * @return empty if the vote stands, else why it does not
   */
  public Optional<VoteRejection> check(long chainId, Hash32 proposal, String group) {
    Optional<VoteRejection> binding = binding(chainId, proposal, group);
    if (binding.isPresent()) {
      return binding;
    }
    Optional<Hash32> digest = digest();
    return digest.isPresent() ? signatureCheck(digest.get()) : Optional.of(VoteRejection.BAD_SIGNATURE);
  }

  /** The vote's chain, proposal and group against the proposal's. */
  Optional<VoteRejection> binding(long chainId, Hash32 proposal, String group) {
    if (vote.chainId() != chainId) {
      return Optional.of(VoteRejection.WRONG_CHAIN);
    }
    if (!vote.proposal().equals(proposal)) {
      return Optional.of(VoteRejection.WRONG_PROPOSAL);
    }
    if (!vote.group().equals(group)) {
      return Optional.of(VoteRejection.WRONG_GROUP);
    }
    return Optional.empty();
  }

  /** The vote's EIP-712 digest, or empty if it cannot be encoded (no wallet could have signed it). */
  Optional<Hash32> digest() {
    try {
      return Optional.of(vote.digest());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether the signature over {@code digest} recovers to the voter. */
  Optional<VoteRejection> signatureCheck(Hash32 digest) {
    return signature.recover(digest).filter(vote.voter()::equals).isPresent() ? Optional.empty() : Optional.of(VoteRejection.BAD_SIGNATURE);
  }
}
