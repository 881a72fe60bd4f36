package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.internal.Transactions;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The {@code ChainsealAnchor} contract ({@code sdk-anchor/src/main/solidity/ChainsealAnchor.sol}):
 * deployment, call encoding and event decoding. Immutable and thread-safe.
 */
public final class AnchorContract {
  /** Class-path location of the compiled artifact (generated; see docs/contracts.md). */
  public static final String ARTIFACT = "io/chainseal/anchor/contract/ChainsealAnchor.json";
  /** keccak256 of the {@code Anchored} event signature: topic 0 of every anchor log. */
  public static final Hash32 ANCHORED_TOPIC =
      Hash32.fromHex(Hash.sha3String("Anchored(address,bytes32,uint64,uint64,bytes32)"));

  private final EvmAddress address;
  private final long deploymentBlock;

  private AnchorContract(EvmAddress address, long deploymentBlock) {
    this.address = address;
    this.deploymentBlock = deploymentBlock;
  }

  /** The contract deployed at {@code address} (its deployment block unknown). */
  public static AnchorContract at(EvmAddress address) {
    return new AnchorContract(java.util.Objects.requireNonNull(address, "address == null"), -1);
  }

  /** The contract deployed at {@code address} in block {@code deploymentBlock}. */
  public static AnchorContract at(EvmAddress address, long deploymentBlock) {
    if (deploymentBlock < 0) {
      throw new IllegalArgumentException("deploymentBlock < 0");
    }
    return new AnchorContract(java.util.Objects.requireNonNull(address, "address == null"), deploymentBlock);
  }

  /**
   * The block the contract was deployed in, if known: no anchor of it is older, so verifiers search its
   * history from there ({@link TrustSettings}).
   */
  public java.util.OptionalLong deploymentBlock() {
    return deploymentBlock < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(deploymentBlock);
  }

  /**
   * Deploys a new anchor contract owned by {@code owner} and waits for its receipt.
   *
   * @param restricted whether only publishers the owner allows may anchor
   * @throws ChainException if the deployment fails or reverts
   */
  public static AnchorContract deploy(ChainClient chain, SigningKey owner, boolean restricted) {
    TransactionSigner signer = new TransactionSigner(owner, chain.chainId());
    byte[] code = Numeric.hexStringToByteArray(creationBytecode());
    byte[] args = Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(
        List.of(new Address(owner.id().address().lowercase()), new Bool(restricted))));
    byte[] data = Arrays.copyOf(code, code.length + args.length);
    System.arraycopy(args, 0, data, code.length, args.length);
    ChainReceipt receipt = Transactions.sendAndWait(chain, signer, null, data, java.time.Duration.ofSeconds(60));
    EvmAddress created = receipt.createdContract()
        .orElseThrow(() -> new ChainException(ChainException.Kind.REJECTED,
        "deployment " + receipt.transactionHash() + " created no contract"));
    return new AnchorContract(created, receipt.blockNumber());
  }

  static String creationBytecode() {
    return Transactions.creationBytecode(AnchorContract.class, ARTIFACT);
  }

  public EvmAddress address() {
    return address;
  }

  /** Call data of {@code anchor(root, treeSize, sequence, previousRoot)}. */
  public byte[] encodeAnchor(Hash32 root, long treeSize, long sequence, Hash32 previousRoot) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("anchor",
        List.of(new Bytes32(root.bytes()), new Uint64(BigInteger.valueOf(treeSize)), new Uint64(BigInteger.valueOf(sequence)),
            new Bytes32(previousRoot.bytes())),
        List.of())));
  }

  /** Call data of {@code setPublisher(publisher, allowed)} (owner only). */
  public byte[] encodeSetPublisher(EvmAddress publisher, boolean allowed) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("setPublisher",
        List.of(new Address(publisher.lowercase()), new Bool(allowed)), List.of())));
  }

  /** Decodes {@code log} if it is an {@code Anchored} event of this contract. */
  public Optional<AnchoredEvent> decode(ChainLog log) {
    if (!log.address().equals(address)) {
      return Optional.empty();
    }
    return decodeAny(log);
  }

  /**
   * Decodes {@code log} if it is an {@code Anchored} event of any anchor contract. Strict, because logs
   * can come from any contract: exactly four topics with the event's signature first, 64 bytes of data,
   * and every ABI word well-formed for its type (an address topic with 12 zero bytes first, uint64
   * words below 2^63 — Chainseal's own limit for sequence numbers and sizes — and a tree size of at
   * least 1 and sequence of at least 1, as the contract enforces). Anything else is not an anchor.
   */
  public static Optional<AnchoredEvent> decodeAny(ChainLog log) {
    List<Hash32> topics = log.topics();
    byte[] data = log.data();
    if (topics.size() != 4 || !topics.get(0).equals(ANCHORED_TOPIC) || data.length != 64) {
      return Optional.empty();
    }
    byte[] publisherWord = topics.get(1).bytes();
    long sequence = uint63(topics.get(3).bytes(), 0);
    long treeSize = uint63(data, 0);
    if (!zero(publisherWord, 0, 12) || sequence < 1 || treeSize < 1) {
      return Optional.empty();
    }
    return Optional.of(new AnchoredEvent(log.address(), EvmAddress.of(Arrays.copyOfRange(publisherWord, 12, 32)),
        topics.get(2), sequence, treeSize, Hash32.of(data, 32), log.logIndex()));
  }

  /** The 32-byte big-endian word at {@code offset} if it is below 2^63, otherwise -1. */
  private static long uint63(byte[] bytes, int offset) {
    if (!zero(bytes, offset, 24) || (bytes[offset + 24] & 0x80) != 0) {
      return -1;
    }
    long value = 0;
    for (int i = offset + 24; i < offset + 32; i++) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
  }

  private static boolean zero(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "AnchorContract[" + address + "]";
  }
}
