package io.chainseal.wallet;

import io.chainseal.chain.TypedData;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * A payment-channel voucher: the sender's EIP-712 signature allowing the recipient
 * {@code cumulativeAmount} (the running total, not an increment) of channel {@code channelId}. The
 * signed domain is ("Chainseal Channels", "1", chain id, channel contract), so a voucher is worth
 * nothing on another chain, contract or channel. Travels in chat as {@link #encode()}'s compact string.
 *
 * @param channelId the channel
 * @param cumulativeAmount the total the recipient may claim, smallest unit
 * @param signature the sender's signature over {@link #digest}
 */
public record Voucher(Hash32 channelId, BigInteger cumulativeAmount, EcdsaSignature signature) {
  private static final String PREFIX = "csv1.";
  private static final int BYTES = 32 + 32 + 65;

  public Voucher {
    Objects.requireNonNull(channelId, "channelId == null");
    Objects.requireNonNull(cumulativeAmount, "cumulativeAmount == null");
    Objects.requireNonNull(signature, "signature == null");
    if (cumulativeAmount.signum() <= 0 || cumulativeAmount.bitLength() > 256) {
      throw new IllegalArgumentException("cumulative amount must be a positive uint256, got " + cumulativeAmount);
    }
  }

  /** {@code csv1.} and the base64url (no padding) of channel id ‖ amount (32 bytes) ‖ r ‖ s ‖ v: 177 characters. */
  public String encode() {
    byte[] out = new byte[BYTES];
    System.arraycopy(channelId.bytes(), 0, out, 0, 32);
    byte[] amount = cumulativeAmount.toByteArray();
    int start = amount.length > 32 ? amount.length - 32 : 0;
    System.arraycopy(amount, start, out, 64 - (amount.length - start), amount.length - start);
    System.arraycopy(signature.bytes(), 0, out, 64, 65);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /**
   * Reads {@link #encode()}'s form. The signature is not checked here: a {@link ChannelReceiver} does.
   *
   * @throws FormatException naming what is wrong
   */
  public static Voucher decode(String text) throws FormatException {
    Objects.requireNonNull(text, "text == null");
    if (!text.startsWith(PREFIX)) {
      throw new FormatException("", "not a Chainseal voucher (it starts with " + PREFIX + ")");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new FormatException("", "a voucher is base64url after " + PREFIX);
    }
    if (bytes.length != BYTES) {
      throw new FormatException("", "a voucher has " + BYTES + " bytes, this one " + bytes.length);
    }
    BigInteger amount = new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64));
    if (amount.signum() == 0) {
      throw new FormatException("cumulativeAmount", "must be positive");
    }
    EcdsaSignature signature;
    try {
      signature = EcdsaSignature.of(Arrays.copyOfRange(bytes, 64, BYTES));
    } catch (IllegalArgumentException e) {
      throw new FormatException("signature", String.valueOf(e.getMessage()));
    }
    return new Voucher(Hash32.of(Arrays.copyOfRange(bytes, 0, 32)), amount, signature);
  }

  /** The EIP-712 digest a voucher's signature covers, for {@code contract} on {@code chainId}. */
  public static Hash32 digest(long chainId, EvmAddress contract, Hash32 channelId, BigInteger cumulativeAmount) {
    return Domain.of(chainId, contract).digest(channelId, cumulativeAmount);
  }

  /**
   * The voucher's typed data as {@code eth_signTypedData_v4} takes it, so any wallet can sign one and
   * any library check it.
   */
  public static String typedDataJson(long chainId, EvmAddress contract, Hash32 channelId, BigInteger cumulativeAmount) {
    TypedData data = new TypedData("Voucher", Domain.NAME, Domain.VERSION, chainId, contract)
        .type("Voucher", "channelId", "bytes32", "cumulativeAmount", "uint256");
    data.message().put("channelId", channelId.hex0x());
    data.message().put("cumulativeAmount", cumulativeAmount.toString());
    return data.json();
  }

  @Override
  public String toString() {
    return "Voucher[" + channelId.hex0x() + ", " + cumulativeAmount + "]";
  }

  /**
   * EIP-712 hashing of vouchers, written out because it runs for every voucher a recipient receives:
   * Web3j's {@code StructuredDataEncoder} parses JSON each time, hundreds of times slower. Its output
   * is checked against Web3j's encoder and against the contract's {@code voucherDigest} in the tests.
   */
  static final class Domain {
    static final String NAME = "Chainseal Channels";
    static final String VERSION = "1";
    private static final byte[] DOMAIN_TYPEHASH =
        keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private static final byte[] VOUCHER_TYPEHASH =
        keccak("Voucher(bytes32 channelId,uint256 cumulativeAmount)".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private final byte[] separator;

    private Domain(byte[] separator) {
      this.separator = separator;
    }

    static Domain of(long chainId, EvmAddress contract) {
      byte[] encoded = new byte[5 * 32];
      System.arraycopy(DOMAIN_TYPEHASH, 0, encoded, 0, 32);
      System.arraycopy(keccak(NAME.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, encoded, 32, 32);
      System.arraycopy(keccak(VERSION.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, encoded, 64, 32);
      byte[] chain = BigInteger.valueOf(chainId).toByteArray();
      System.arraycopy(chain, 0, encoded, 128 - chain.length, chain.length);
      System.arraycopy(contract.bytes(), 0, encoded, 128 + 12, 20);
      return new Domain(keccak(encoded));
    }

    Hash32 digest(Hash32 channelId, BigInteger cumulativeAmount) {
      byte[] struct = new byte[96];
      System.arraycopy(VOUCHER_TYPEHASH, 0, struct, 0, 32);
      System.arraycopy(channelId.bytes(), 0, struct, 32, 32);
      byte[] amount = cumulativeAmount.toByteArray();
      int start = amount.length > 32 ? amount.length - 32 : 0;
      System.arraycopy(amount, start, struct, 96 - (amount.length - start), amount.length - start);
      byte[] structHash = keccak(struct);
      byte[] message = new byte[66];
      message[0] = 0x19;
      message[1] = 0x01;
      System.arraycopy(separator, 0, message, 2, 32);
      System.arraycopy(structHash, 0, message, 34, 32);
      return Hash32.of(keccak(message));
    }

    private static byte[] keccak(byte[] input) {
      KeccakDigest digest = new KeccakDigest(256);
      digest.update(input, 0, input.length);
      byte[] out = new byte[32];
      digest.doFinal(out, 0);
      return out;
    }
  }
}
