package io.chainseal.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a local chain with the testkit's defaults (each transaction mined at once, an idle block
 * every second) for the annotated JUnit 5 class, deploys Chainseal's contracts on it, and injects a
 * {@link ChainsealFixture} parameter. The chain and the fixture's folder are removed after the class.
 * Do not combine with {@code @WithLocalChain}: the chain is {@link ChainsealFixture#chain()}.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ChainsealExtension.class)
public @interface WithChainseal {}
