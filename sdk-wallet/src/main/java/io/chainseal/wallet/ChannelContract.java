package io.chainseal.wallet;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.chain.internal.Transactions;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The {@code ChainsealChannels} contract ({@code sdk-wallet/src/main/solidity/ChainsealChannels.sol}):
 * deployment, call encoding, channel ids and state reads. Immutable and thread-safe.
 */
public final class ChannelContract {
  /** Class-path location of the compiled artifact. */
  public static final String ARTIFACT = "io/chainseal/wallet/contract/ChainsealChannels.json";

  private final EvmAddress address;
  private final long chainId;

  private ChannelContract(EvmAddress address, long chainId) {
    this.address = address;
    this.chainId = chainId;
  }

  /** The contract at {@code address} on chain {@code chainId}. */
  public static ChannelContract at(EvmAddress address, long chainId) {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    return new ChannelContract(Objects.requireNonNull(address, "address == null"), chainId);
  }

  /**
   * Deploys a new channel contract and waits for its receipt.
   *
   * @throws ChainException if the deployment fails or reverts
   */
  public static ChannelContract deploy(ChainClient chain, EvmSigner deployer) {
    ChainReceipt receipt = Transactions.sendAndWait(chain, new TransactionSigner(deployer, chain.chainId()), null,
        Numeric.hexStringToByteArray(creationBytecode()), Duration.ofSeconds(60));
    EvmAddress created = receipt.createdContract().orElseThrow(() -> new ChainException(ChainException.Kind.REJECTED,
        "deployment " + receipt.transactionHash() + " created no contract"));
    return new ChannelContract(created, chain.chainId());
  }

  static String creationBytecode() {
    return Transactions.creationBytecode(ChannelContract.class, ARTIFACT);
  }

  public EvmAddress address() {
    return address;
  }

  public long chainId() {
    return chainId;
  }

  /** The id the contract gives a channel of these parties and salt: keccak256(abi.encode(chainId, contract, sender, recipient, token, salt)). */
  public Hash32 channelId(EvmAddress sender, EvmAddress recipient, Token token, Hash32 salt) {
    byte[] encoded = new byte[6 * 32];
    word(BigInteger.valueOf(chainId), encoded, 0);
    address(address, encoded, 1);
    address(sender, encoded, 2);
    address(recipient, encoded, 3);
    address(token.contract() == null ? EvmAddress.of(new byte[20]) : token.contract(), encoded, 4);
    System.arraycopy(salt.bytes(), 0, encoded, 5 * 32, 32);
    return Hash32.of(Hash.sha3(encoded));
  }

  private static void word(BigInteger value, byte[] out, int index) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 32 ? bytes.length - 32 : 0;
    System.arraycopy(bytes, start, out, index * 32 + 32 - (bytes.length - start), bytes.length - start);
  }

  private static void address(EvmAddress address, byte[] out, int index) {
    System.arraycopy(address.bytes(), 0, out, index * 32 + 12, 20);
  }

  byte[] encodeOpen(EvmAddress recipient, Token token, BigInteger deposit, Instant expiry, Hash32 salt) {
    return encode("open", new Address(recipient.lowercase()), new Address(tokenAddress(token)), new Uint256(deposit),
        new Uint64(BigInteger.valueOf(expiry.getEpochSecond())), new Bytes32(salt.bytes()));
  }

  byte[] encodeTopUp(Hash32 channelId, BigInteger amount) {
    return encode("topUp", new Bytes32(channelId.bytes()), new Uint256(amount));
  }

  byte[] encodeExtend(Hash32 channelId, Instant expiry) {
    return encode("extend", new Bytes32(channelId.bytes()), new Uint64(BigInteger.valueOf(expiry.getEpochSecond())));
  }

  byte[] encodeClose(Voucher voucher) {
    return encode("close", new Bytes32(voucher.channelId().bytes()), new Uint256(voucher.cumulativeAmount()),
        new DynamicBytes(voucher.signature().bytes()));
  }

  byte[] encodeReclaim(Hash32 channelId) {
    return encode("reclaim", new Bytes32(channelId.bytes()));
  }

  byte[] encodeWithdraw(Token token) {
    return encode("withdraw", new Address(tokenAddress(token)));
  }

  static byte[] encodeApprove(EvmAddress spender, BigInteger amount) {
    return encode("approve", new Address(spender.lowercase()), new Uint256(amount));
  }

  private static String tokenAddress(Token token) {
    return token.contract() == null ? "0x" + "00".repeat(20) : token.contract().lowercase();
  }

  @SuppressWarnings("rawtypes")
  private static byte[] encode(String name, org.web3j.abi.datatypes.Type... arguments) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(name, List.<org.web3j.abi.datatypes.Type>of(arguments), List.of())));
  }

  /**
   * The channel's state on chain, if it is open.
   *
   * @throws ChainException if the node cannot be asked
   */
  public Optional<ChannelState> state(ChainClient chain, Hash32 channelId) {
    byte[] answer = chain.call(address, encode("channels", new Bytes32(channelId.bytes())));
    if (answer.length != 5 * 32) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "channels(" + channelId.hex0x() + ") answered "
          + answer.length + " bytes, not 160");
    }
    EvmAddress sender = EvmAddress.of(Arrays.copyOfRange(answer, 12, 32));
    if (sender.equals(EvmAddress.of(new byte[20]))) {
      return Optional.empty();
    }
    long expiry = new BigInteger(1, Arrays.copyOfRange(answer, 32, 64)).longValueExact();
    EvmAddress recipient = EvmAddress.of(Arrays.copyOfRange(answer, 64 + 12, 96));
    EvmAddress token = EvmAddress.of(Arrays.copyOfRange(answer, 96 + 12, 128));
    BigInteger deposit = new BigInteger(1, Arrays.copyOfRange(answer, 128, 160));
    return Optional.of(new ChannelState(channelId, sender, recipient, token.equals(EvmAddress.of(new byte[20])) ? null : token, deposit,
        Instant.ofEpochSecond(expiry)));
  }

  /** What the contract owes {@code account} in {@code token} after a closing could not send it. */
  public BigInteger owed(ChainClient chain, Token token, EvmAddress account) {
    byte[] answer = chain.call(address, encode("owed", new Address(tokenAddress(token)), new Address(account.lowercase())));
    return new BigInteger(1, answer);
  }

  /** The digest the contract checks a voucher's signature against (for cross-checks; {@link Voucher#digest} computes it locally). */
  public Hash32 voucherDigestOnChain(ChainClient chain, Hash32 channelId, BigInteger cumulativeAmount) {
    return Hash32.of(chain.call(address, encode("voucherDigest", new Bytes32(channelId.bytes()), new Uint256(cumulativeAmount))));
  }

  @Override
  public String toString() {
    return "ChannelContract[" + address + ", chain " + chainId + "]";
  }
}
