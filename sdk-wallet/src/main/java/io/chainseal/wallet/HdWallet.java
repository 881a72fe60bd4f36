package io.chainseal.wallet;

import java.util.Arrays;
import java.util.Objects;
import org.web3j.crypto.Bip32ECKeyPair;

/**
 * BIP-32 hierarchical keys from a BIP-39 mnemonic, with Ethereum's BIP-44 path
 * {@code m/44'/60'/0'/0/i}: the accounts every Ethereum wallet (MetaMask, Ledger, Anvil, Hardhat)
 * derives from the same words. Derivation is Web3j's {@link Bip32ECKeyPair}.
 *
 * <p>{@link #close()} wipes the seed; keys already derived stay usable until they are closed.
 * Thread-safe. {@code toString} shows nothing secret.
 */
public final class HdWallet implements AutoCloseable {
  /** Hardened-index flag of BIP-32. */
  private static final int HARDENED = Bip32ECKeyPair.HARDENED_BIT;
  private final byte[] seed;
  private volatile boolean closed;

  private HdWallet(byte[] seed) {
    this.seed = seed;
  }

  /** The wallet of {@code mnemonic} with {@code passphrase} (BIP-39's "25th word"; empty for none). */
  public static HdWallet of(Mnemonic mnemonic, CharSequence passphrase) {
    Objects.requireNonNull(mnemonic, "mnemonic == null");
    return new HdWallet(mnemonic.seed(passphrase));
  }

  /** The wallet of {@code mnemonic} with no passphrase. */
  public static HdWallet of(Mnemonic mnemonic) {
    return of(mnemonic, "");
  }

  /** The derivation path of account {@code index}: {@code m/44'/60'/0'/0/index}. */
  public static String path(int index) {
    checkIndex(index);
    return "m/44'/60'/0'/0/" + index;
  }

  /**
   * The key of account {@code index} (0 ≤ index &lt; 2^31), at {@link #path(int)}.
   *
   * @throws IllegalStateException if the wallet was closed
   */
  public WalletKey account(int index) {
    checkIndex(index);
    Bip32ECKeyPair master;
    synchronized (seed) {
      if (closed) {
        throw new IllegalStateException("the wallet was closed");
      }
      master = Bip32ECKeyPair.generateKeyPair(seed);
    }
    Bip32ECKeyPair child = Bip32ECKeyPair.deriveKeyPair(master, new int[] {44 | HARDENED, 60 | HARDENED, HARDENED, 0, index});
    try {
      return WalletKey.ofPrivateKey(child.getPrivateKey());
    } catch (WalletKeyException e) {
      // BIP-32 derives a valid key by construction (the chance of an invalid one is below 2^-127).
      throw new IllegalStateException("derivation gave an invalid key at " + path(index), e);
    }
  }

  private static void checkIndex(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("account index must be 0 to 2^31-1, got " + index);
    }
  }

  /** Wipes the seed. */
  @Override
  public void close() {
    synchronized (seed) {
      closed = true;
      Arrays.fill(seed, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return closed ? "HdWallet[closed]" : "HdWallet[m/44'/60'/0'/0]";
  }
}
