package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.core.EvmAddress;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paid service in its own JVM answers 1,000 paid requests over one channel; it is killed with
 * SIGKILL in the middle (after a request was sent, before its answer was read) and restarted, the
 * client retries that request with the same voucher, and at the end the service settles the channel
 * for exactly the total of the requests it served.
 */
@WithLocalChain(blockTimeMillis = 200)
@Tag("slow")
class PaidServiceCrashTest {
  private static final class Service implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final PrintStream in;

    Service(LocalChain local, ChannelContract contract, Path journal, EvmAddress account, EvmAddress token) throws IOException {
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
          PaidServiceChild.class.getName(), local.rpcUrl(), contract.address().checksummed(), journal.toString(), account.checksummed(),
          token.checksummed());
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
      process = builder.start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      String ready = out.readLine();
      if (!"READY".equals(ready)) {
        throw new IOException("the service did not start: " + ready);
      }
    }

    String ask(String line) throws IOException {
      in.println(line);
      String answer = out.readLine();
      if (answer == null) {
        throw new IOException("the service ended");
      }
      return answer;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL on Linux
      process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      in.close();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  @Test
  void settlesExactlyWhatItServedAcrossASigkill(LocalChain local, @TempDir Path dir) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl()); HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
        WalletKey treasuryKey = wallet.account(1); WalletKey clientKey = wallet.account(4); WalletKey serviceKey = wallet.account(5)) {
      ChannelContract contract = ChannelContract.deploy(chain, treasuryKey);
      EvmAddress tokenAddress = local.deployToken(local.account(1), "Test Dollar", "TUSD", 6, BigInteger.TEN.pow(12));
      Token token = Erc20.token(chain, tokenAddress);
      ChannelState channel;
      try (Payments treasury = Payments.builder().chain(chain).signer(treasuryKey).journal(SqliteWalletJournal.open(dir.resolve("t.db")))
          .confirmations(1).build();
          Payments client = Payments.builder().chain(chain).signer(clientKey).journal(SqliteWalletJournal.open(dir.resolve("c.db")))
              .confirmations(1).build()) {
        treasury.send(PaymentOrder.of("fund-client", clientKey.address(), token, new BigDecimal("50"))).whenFinal().get(60, TimeUnit.SECONDS);
        channel = client.channels(contract).open("bot-session", serviceKey.address(), token, new BigDecimal("5"),
            Instant.now().plus(Duration.ofHours(2))).get(60, TimeUnit.SECONDS);
      }
      ChannelPayer payer = new ChannelPayer(contract, channel, clientKey);
      Path journal = dir.resolve("service.db");
      Set<String> answered = new HashSet<>();
      BigInteger charged = BigInteger.ZERO;
      Service service = new Service(local, contract, journal, serviceKey.address(), tokenAddress);
      for (int i = 0; i < 1_000; i++) {
        String kind = i % 3 == 0 ? "summarize" : "translate";
        String line = "req-" + i + " " + kind + " " + payer.pay(PaidServiceChild.PRICES.get(kind)).encode();
        String answer;
        if (i == 500) {
          service.in.println(line); // sent; the service may or may not have kept its voucher when it dies
          service.kill();
          service = new Service(local, contract, journal, serviceKey.address(), tokenAddress);
          answer = service.ask(line); // the client retries the same request with the same voucher
        } else {
          answer = service.ask(line);
        }
        String[] parts = answer.split(" ");
        if (i == 500 && parts[0].equals("REFUSED")) {
          // The service had kept the voucher, done the work and noted it answered before it died: the
          // request was served and charged once; its answer is what the kill lost.
          assertTrue(answer.contains("not_above") || answer.contains("not above") || answer.contains("accepted_already"), answer);
          answered.add("req-500");
          charged = charged.add(PaidServiceChild.PRICES.get(kind));
          continue;
        }
        assertEquals("OK", parts[0], answer);
        assertEquals("req-" + i, parts[1]);
        assertEquals("echo:req-" + i, parts[3]);
        assertTrue(answered.add(parts[1]), "answered once: " + parts[1]);
        BigInteger paidNow = new BigInteger(parts[2]);
        if (i == 500 && paidNow.signum() == 0) {
          // The service kept the voucher before it died: the retry is answered without a second charge.
          paidNow = PaidServiceChild.PRICES.get(kind);
          System.out.println("paid service: the killed request's voucher was kept before the kill; answered again, charged once");
        }
        charged = charged.add(paidNow);
        if (i == 700) {
          // A replay of an older request's voucher is not served again.
          String replay = service.ask("req-replay summarize " + new ChannelPayer(contract, channel, clientKey).pay(BigInteger.valueOf(2_500)).encode());
          assertTrue(replay.startsWith("REFUSED req-replay"), replay);
        }
      }
      service.close();
      assertEquals(1_000, answered.size());
      assertEquals(payer.paid(), charged, "every request charged exactly once, the retried one included");

      BigInteger before = Erc20.balanceOf(chain, tokenAddress, serviceKey.address());
      try (SqliteWalletJournal serviceJournal = SqliteWalletJournal.open(journal);
          Payments settling = Payments.builder().chain(chain).signer(serviceKey).journal(serviceJournal).confirmations(1).build()) {
        Voucher highest = serviceJournal.highest(channel.channelId()).orElseThrow();
        assertEquals(payer.paid(), highest.cumulativeAmount());
        settling.channels(contract).close(highest).get(60, TimeUnit.SECONDS);
      }
      assertEquals(before.add(payer.paid()), Erc20.balanceOf(chain, tokenAddress, serviceKey.address()),
          "settled exactly the total of the requests served");
      System.out.printf("paid service: 1,000 requests, killed once, settled %s smallest units%n", payer.paid());
    }
  }
}
