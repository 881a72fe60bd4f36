package io.chainseal.wallet;

import io.chainseal.chain.ChainClient;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The paid service {@link PaidServiceCrashTest} kills and restarts: reads {@code requestId kind voucher}
 * lines on stdin, answers {@code OK requestId charged answer} or {@code REFUSED requestId reason}.
 * Arguments: RPC URL, channel contract, journal file, service account, token contract.
 */
public final class PaidServiceChild {
  static final Map<String, BigInteger> PRICES = Map.of("translate", BigInteger.valueOf(1_000), "summarize", BigInteger.valueOf(2_500));

  private PaidServiceChild() {}

  public static void main(String[] args) throws Exception {
    ChainClient chain = ChainClient.http(args[0]);
    ChannelContract contract = ChannelContract.at(EvmAddress.fromHex(args[1]), chain.chainId());
    try (SqliteWalletJournal journal = SqliteWalletJournal.open(Path.of(args[2]))) {
      Token token = Erc20.token(chain, EvmAddress.fromHex(args[4]));
      PaidService service = new PaidService("echo-bot", contract, chain, EvmAddress.fromHex(args[3]), token, PRICES, journal);
      System.out.println("READY");
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] parts = line.split(" ");
        try {
          PaidService.Served served = service.serve(parts[0], parts[1], Voucher.decode(parts[2]), id -> "echo:" + id);
          System.out.println("OK " + served.requestId() + " " + served.charged() + " " + served.answer());
        } catch (VoucherException | PaymentException | FormatException e) {
          System.out.println("REFUSED " + parts[0] + " " + e.getMessage().replace(' ', '_'));
        }
        System.out.flush();
      }
    }
    chain.close();
  }
}
