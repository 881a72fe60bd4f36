/**
 * For host applications' tests: {@link io.chainseal.testing.ChainsealContracts#deploy} puts Chainseal's
 * contracts on a {@link io.chainseal.testkit.LocalChain} in one call, and
 * {@link io.chainseal.testing.WithChainseal} gives a JUnit 5 test class a running chain with them and a
 * ready {@link io.chainseal.host.Chainseal} builder.
 */
@NullMarked
package io.chainseal.testing;

import org.jspecify.annotations.NullMarked;
