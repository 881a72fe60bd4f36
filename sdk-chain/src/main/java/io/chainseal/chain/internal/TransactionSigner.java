package io.chainseal.chain.internal;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Signs EIP-1559 transactions with an operator's secp256k1 key, using Web3j's encoder. Thread-safe.
 * The key's secret is read once, here; it never reaches a log line or a message.
 */
public final class TransactionSigner {
  private final Credentials credentials;
  private final EvmAddress address;
  private final long chainId;

  public TransactionSigner(SigningKey key, long chainId) {
    if (key.scheme() != SignatureScheme.SECP256K1_EIP191) {
      throw new IllegalArgumentException("transactions need a secp256k1 key, got " + key.scheme().id());
    }
    byte[] secret = key.exportSecretBytes();
    try {
      this.credentials = Credentials.create(ECKeyPair.create(secret));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    this.address = key.id().address();
    this.chainId = chainId;
  }

  public EvmAddress address() {
    return address;
  }

  public long chainId() {
    return chainId;
  }

  /**
   * The nonce, fees and gas limit of an EIP-1559 transaction.
   *
   * @param nonce sender nonce
   * @param maxFeePerGas most paid per gas, in wei
   * @param maxPriorityFeePerGas tip per gas, in wei
   * @param gasLimit gas limit
   */
  public record Fees(long nonce, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, BigInteger gasLimit) {}

  /** Reads the nonce, fees and gas limit back from a signed EIP-1559 transaction. */
  public static Fees fees(byte[] signedTransaction) {
    RawTransaction tx = org.web3j.crypto.TransactionDecoder.decode(Numeric.toHexString(signedTransaction));
    if (!(tx.getTransaction() instanceof org.web3j.crypto.transaction.type.Transaction1559 eip1559)) {
      throw new IllegalArgumentException("not an EIP-1559 transaction");
    }
    return new Fees(tx.getNonce().longValueExact(), eip1559.getMaxFeePerGas(), eip1559.getMaxPriorityFeePerGas(),
        tx.getGasLimit());
  }

  /** A signed transaction, ready to broadcast, and its hash. */
  public record Signed(byte[] raw, Hash32 hash, long nonce, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    /** Equal when the signed bytes are (the rest follows from them). */
    @Override
    public boolean equals(Object o) {
      return o instanceof Signed other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
      return "Signed[" + hash + ", nonce " + nonce + ", " + raw.length + " bytes]";
    }
  }

  public Signed sign(long nonce, @Nullable EvmAddress to, byte[] data, BigInteger gasLimit,
      BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    return sign(nonce, to, BigInteger.ZERO, data, gasLimit, maxFeePerGas, maxPriorityFeePerGas);
  }

  /** Signs an EIP-1559 transaction sending {@code value} wei along. */
  public Signed sign(long nonce, @Nullable EvmAddress to, BigInteger value, byte[] data, BigInteger gasLimit,
      BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    RawTransaction tx = RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce), gasLimit,
        to == null ? "" : to.lowercase(), value, Numeric.toHexString(data), maxPriorityFeePerGas, maxFeePerGas);
    byte[] raw = TransactionEncoder.signMessage(tx, credentials);
    return new Signed(raw, Hash32.of(Hash.sha3(raw)), nonce, maxFeePerGas, maxPriorityFeePerGas);
  }

  @Override
  public String toString() {
    return "TransactionSigner[" + address + ", chain " + chainId + "]";
  }
}
