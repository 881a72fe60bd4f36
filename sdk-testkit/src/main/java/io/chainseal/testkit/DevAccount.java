package io.chainseal.testkit;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.SigningKey;
import java.util.Objects;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import org.jspecify.annotations.Nullable;

/**
 * One of the local chain's funded accounts, derived from its mnemonic at {@code m/44'/60'/0'/0/index}.
 *
 * <p>These keys are well known test keys (Anvil's default mnemonic unless the chain was built with
 * another): never send value to them on a real network. {@link #toString()} prints the index and
 * address only.
 */
public final class DevAccount {
  private final int index;
  private final Credentials credentials;

  DevAccount(int index, Credentials credentials) {
    this.index = index;
    this.credentials = Objects.requireNonNull(credentials, "credentials == null");
  }

  /** Position in the chain's account list, from 0. */
  public int index() {
    return index;
  }

  /** EIP-55 checksummed address. */
  public String address() {
    return org.web3j.crypto.Keys.toChecksumAddress(credentials.getAddress());
  }

  /** The account's address as the SDK's type. */
  public EvmAddress evmAddress() {
    return EvmAddress.fromHex(address());
  }

  /**
   * The account's key as the SDK's {@link SigningKey} (secp256k1): a publisher key for anchoring, a
   * wallet key, a voter. A new instance each call; close it when done.
   */
  public SigningKey signingKey() {
    return SigningKey.secp256k1(Numeric.toBytesPadded(credentials.getEcKeyPair().getPrivateKey(), 32));
  }

  /** Web3j credentials of this account: the testkit's own use (its public API is in the SDK's types). */
  Credentials credentials() {
    return credentials;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DevAccount other && other.index == index && other.address().equals(address());
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, address());
  }

  @Override
  public String toString() {
    return "DevAccount[" + index + ", " + address() + "]";
  }
}
