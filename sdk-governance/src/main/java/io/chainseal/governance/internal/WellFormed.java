package io.chainseal.governance.internal;

/**
 * Text that signs the same everywhere. A lone UTF-16 surrogate has no UTF-8 encoding: Java and Web3j
 * write it as {@code ?}, other wallets differently, so two different strings would sign alike and
 * one string differently from wallet to wallet. Proposals and votes refuse such text.
 */
public final class WellFormed {
  private WellFormed() {}

  /**
   * Returns {@code text}.
   *
   * @throws IllegalArgumentException naming {@code field} if it holds a lone surrogate
   */
  public static String text(String text, String field) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(field + " holds a lone UTF-16 surrogate at index " + i + ": not valid Unicode text");
      }
    }
    return text;
  }
}
