package io.chainseal.wallet;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.web3j.crypto.MnemonicUtils;
import org.jspecify.annotations.Nullable;

/**
 * A BIP-39 mnemonic (English word list): 12, 15, 18, 21 or 24 words whose last bits are a checksum.
 * It is the root secret of an {@link HdWallet}: whoever reads it owns every account derived from it.
 * {@link #toString()} shows only the number of words; {@link #phrase()} is the one way to the words.
 *
 * <p>Java strings cannot be wiped; a host that must keep the phrase out of the heap keeps it in an
 * HSM and uses an {@code EvmSigner} over it instead.
 */
public final class Mnemonic {
  private static final Set<Integer> WORD_COUNTS = Set.of(12, 15, 18, 21, 24);
  private final String phrase;
  private final int words;

  private Mnemonic(String phrase, int words) {
    this.phrase = phrase;
    this.words = words;
  }

  /**
   * A new mnemonic of {@code words} words (12 to 24, a multiple of 3) from {@code random}'s entropy.
   */
  public static Mnemonic generate(int words, SecureRandom random) {
    Objects.requireNonNull(random, "random == null");
    if (!WORD_COUNTS.contains(words)) {
      throw new IllegalArgumentException("a mnemonic has 12, 15, 18, 21 or 24 words, not " + words);
    }
    byte[] entropy = new byte[words * 4 / 3];
    random.nextBytes(entropy);
    try {
      return new Mnemonic(MnemonicUtils.generateMnemonic(entropy), words);
    } finally {
      Arrays.fill(entropy, (byte) 0);
    }
  }

  /**
   * Reads a mnemonic: words separated by white space (any amount, any case), checked against the
   * English list and the checksum.
   *
   * @throws WalletKeyException ({@link WalletKeyException.Reason#INVALID_MNEMONIC}) naming the first
   *     problem: the word count, the position of an unknown word, or the checksum
   */
  public static Mnemonic parse(CharSequence text) throws WalletKeyException {
    Objects.requireNonNull(text, "text == null");
    String normalized = Normalizer.normalize(text, Normalizer.Form.NFKD).trim().toLowerCase(java.util.Locale.ROOT);
    String[] parts = normalized.isEmpty() ? new String[0] : normalized.split("\\s+");
    if (!WORD_COUNTS.contains(parts.length)) {
      throw new WalletKeyException(WalletKeyException.Reason.INVALID_MNEMONIC,
          "a mnemonic has 12, 15, 18, 21 or 24 words, this one has " + parts.length);
    }
    Set<String> known = WordList.WORDS;
    for (int i = 0; i < parts.length; i++) {
      if (!known.contains(parts[i])) {
        throw new WalletKeyException(WalletKeyException.Reason.INVALID_MNEMONIC,
            "word " + (i + 1) + " of the mnemonic is not in the BIP-39 English word list");
      }
    }
    String phrase = String.join(" ", parts);
    if (!MnemonicUtils.validateMnemonic(phrase)) {
      throw new WalletKeyException(WalletKeyException.Reason.INVALID_MNEMONIC,
          "the mnemonic's checksum does not match (a word is wrong or the words are out of order)");
    }
    return new Mnemonic(phrase, parts.length);
  }

  /** The words, separated by single spaces. Whoever reads them owns the accounts. */
  public String phrase() {
    return phrase;
  }

  /** The number of words. */
  public int size() {
    return words;
  }

  /**
   * The 64-byte BIP-39 seed: PBKDF2-HMAC-SHA512 over the phrase, salted with "mnemonic" and the
   * passphrase (both NFKD-normalized), 2,048 rounds. The caller should wipe it when done.
   */
  public byte[] seed(CharSequence passphrase) {
    Objects.requireNonNull(passphrase, "passphrase == null");
    // Web3j's generateSeed does not normalize; BIP-39 asks for NFKD of both.
    return MnemonicUtils.generateSeed(phrase, Normalizer.normalize(passphrase, Normalizer.Form.NFKD));
  }

  /** Equal when the phrases are: compare with care (the comparison is not constant-time). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Mnemonic other && phrase.equals(other.phrase);
  }

  @Override
  public int hashCode() {
    return phrase.hashCode();
  }

  /** The number of words only. */
  @Override
  public String toString() {
    return "Mnemonic[" + words + " words]";
  }

  /** The English list, read once from Web3j. */
  private static final class WordList {
    static final Set<String> WORDS = Set.copyOf(new HashSet<>(List.copyOf(MnemonicUtils.getWords())));
  }
}
