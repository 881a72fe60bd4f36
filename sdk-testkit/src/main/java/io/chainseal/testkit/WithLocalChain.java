package io.chainseal.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one real local chain for the annotated JUnit 5 test class and injects it as a
 * {@link LocalChain} parameter (constructor, lifecycle or test method). The chain is stopped after
 * the class, whether its tests pass or fail.
 *
 * <pre>{@code
 * @WithLocalChain
 * class PaymentTest {
 *   @Test
 *   void paysAlice(LocalChain chain) { ... }
 * }
 * }</pre>
 *
 * <p>Tests in one class share the chain: use {@link LocalChain#snapshot()} and
 * {@link LocalChain#revert(String)} to isolate them where needed.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalChainExtension.class)
public @interface WithLocalChain {
  /** Chain id. */
  long chainId() default LocalChain.DEFAULT_CHAIN_ID;

  /** Interval mining period in milliseconds; 0 (default) mines each transaction at once. */
  long blockTimeMillis() default 0;

  /**
   * With instant mining, an empty block every this many milliseconds besides (default 1,000) so that
   * confirmations arrive; 0 mines only on transactions and {@link LocalChain#mine()}.
   */
  long idleBlockMillis() default 1_000;

  /** Number of funded accounts. */
  int accounts() default 10;
}
