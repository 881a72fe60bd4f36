package io.chainseal.cli;

import io.chainseal.cli.Main.UsageException;
import io.chainseal.wallet.HdWallet;
import io.chainseal.wallet.Keystore;
import io.chainseal.wallet.Mnemonic;
import io.chainseal.wallet.WalletKey;
import io.chainseal.wallet.WalletKeyException;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code chainseal keys new|derive|keystore}: BIP-39 mnemonics, BIP-44 accounts and Web3 Secret
 * Storage keystores. Secrets come from standard input, files or the terminal, never from arguments
 * (which other users of the machine can read in the process list), and never reach an error message.
 */
final class KeysCommand {
  static final String USAGE = String.join(System.lineSeparator(),
      "  keys new [--words N]                   print a new BIP-39 mnemonic (12 to 24 words; default 24)",
      "  keys derive --index I                  read a mnemonic on stdin, print account I's address",
      "  keys keystore --index I --out FILE     read a mnemonic on stdin, write account I as an encrypted keystore");

  static final String HELP = String.join(System.lineSeparator(),
      "usage: chainseal keys new|derive|keystore ...", "", USAGE, "",
      "Accounts are BIP-44 m/44'/60'/0'/0/I, as MetaMask, Ledger and Anvil derive them.",
      "Options of derive and keystore:",
      "  --passphrase-file F   the BIP-39 passphrase (\"25th word\"), first line of F; default none",
      "Options of keystore:",
      "  --password-file F     the keystore's password, first line of F; without it the terminal asks twice",
      "  --kdf standard|light  scrypt cost: standard (geth's, ~1 s and 256 MiB to unlock; default) or light",
      "The mnemonic is read from standard input, so it stays out of the shell's history and the process list.",
      "Exit codes: 0 success, 2 bad usage or unreadable input (a wrong mnemonic, a missing file).", "");

  private KeysCommand() {}

  static int run(List<String> args, InputStream in, PrintStream out, PrintStream err, @Nullable Console console) throws UsageException {
    if (args.isEmpty()) {
      throw new UsageException("keys needs a subcommand: new, derive or keystore");
    }
    String sub = args.get(0);
    List<String> rest = args.subList(1, args.size());
    switch (sub) {
      case "new" -> {
        Options options = new Options(rest, Set.of("--words"));
        int words = options.intValue("--words", 24, 12);
        if (words > 24 || words % 3 != 0) {
          throw new UsageException("--words must be 12, 15, 18, 21 or 24, got " + words);
        }
        Mnemonic mnemonic = Mnemonic.generate(words, new SecureRandom());
        err.println("chainseal: this is the only time the mnemonic is shown. Write it down and keep it offline:");
        err.println("chainseal: whoever reads it owns every account derived from it.");
        out.println(mnemonic.phrase());
      }
      case "derive" -> {
        Options options = new Options(rest, Set.of("--index", "--passphrase-file"));
        int index = options.intValue("--index", -1, 0);
        if (index < 0) {
          throw new UsageException("missing --index");
        }
        try (HdWallet wallet = wallet(options, in); WalletKey key = wallet.account(index)) {
          out.println(key.address().checksummed());
        }
      }
      case "keystore" -> {
        Options options = new Options(rest, Set.of("--index", "--out", "--passphrase-file", "--password-file", "--kdf"));
        int index = options.intValue("--index", -1, 0);
        if (index < 0) {
          throw new UsageException("missing --index");
        }
        Path target = Path.of(options.required("--out"));
        if (Files.exists(target)) {
          throw new UsageException(target + " exists; refusing to overwrite a keystore");
        }
        String kdf = options.optional("--kdf");
        Keystore.Strength strength = kdf == null || kdf.equals("standard") ? Keystore.Strength.STANDARD
            : kdf.equals("light") ? Keystore.Strength.LIGHT : null;
        if (strength == null) {
          throw new UsageException("--kdf must be standard or light, got '" + MerkleCommand.abbreviate(kdf) + "'");
        }
        String passwordFile = options.optional("--password-file");
        HdWallet wallet = wallet(options, in);
        char[] password = passwordFile != null ? firstLine(passwordFile).toCharArray() : askTwice(console);
        try (wallet; WalletKey key = wallet.account(index)) {
          if (password.length == 0) {
            throw new UsageException("the keystore password is empty");
          }
          Keystore.save(key, password, strength, target);
          out.println(key.address().checksummed() + " " + target);
        } catch (WalletKeyException e) {
          throw new UsageException(e.getMessage());
        } finally {
          Arrays.fill(password, '\0');
        }
      }
      default -> throw new UsageException("unknown keys subcommand '" + MerkleCommand.abbreviate(sub) + "' (new, derive, keystore)");
    }
    return Main.OK;
  }

  private static HdWallet wallet(Options options, InputStream in) throws UsageException {
    String passphraseFile = options.optional("--passphrase-file");
    String passphrase = passphraseFile == null ? "" : firstLine(passphraseFile);
    String text;
    try {
      text = readAll(in);
    } catch (IOException e) {
      throw new UsageException("could not read the mnemonic from standard input: " + e.getMessage());
    }
    if (text.isBlank()) {
      throw new UsageException("give the mnemonic on standard input");
    }
    try {
      return HdWallet.of(Mnemonic.parse(text), passphrase);
    } catch (WalletKeyException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    int n;
    while ((n = in.read(chunk)) > 0) {
      buffer.write(chunk, 0, n);
      if (buffer.size() > 64 * 1024) {
        throw new IOException("more than 64 KiB; a mnemonic is a few hundred bytes");
      }
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  /** The first line of a secret file, without its line ending. */
  private static String firstLine(String file) throws UsageException {
    try {
      String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      String line = end < 0 ? text : text.substring(0, end);
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw new UsageException("cannot read " + MerkleCommand.abbreviate(file) + ": " + e.getClass().getSimpleName());
    }
  }

  private static char[] askTwice(@Nullable Console console) throws UsageException {
    if (console == null) {
      throw new UsageException("no terminal to ask for the keystore password: give --password-file");
    }
    char[] first = console.readPassword("keystore password: ");
    char[] second = console.readPassword("again: ");
    if (first == null || second == null) {
      throw new UsageException("no password given");
    }
    try {
      if (!Arrays.equals(first, second)) {
        throw new UsageException("the two passwords differ");
      }
      return first.clone();
    } finally {
      Arrays.fill(first, '\0');
      Arrays.fill(second, '\0');
    }
  }
}
