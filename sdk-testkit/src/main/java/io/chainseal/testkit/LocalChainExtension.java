package io.chainseal.testkit;

import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link WithLocalChain}: one {@link LocalChain} per test class (nested
 * classes share their enclosing class's chain), closed by JUnit when the class's store is closed,
 * which happens after the class whether its tests pass, fail or abort.
 */
public final class LocalChainExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalChainExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    if (context.getStore(NAMESPACE).get(LocalChain.class, ClosingChain.class) != null) {
      return; // a nested class: the enclosing class's chain is found through the parent store
    }
    WithLocalChain settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WithLocalChain.class)
        .orElse(null);
    LocalChain.Builder builder = LocalChain.builder();
    if (settings != null) {
      builder.chainId(settings.chainId())
          .blockTime(Duration.ofMillis(settings.blockTimeMillis()))
          .idleBlockTime(Duration.ofMillis(settings.idleBlockMillis()))
          .accounts(settings.accounts());
    }
    context.getStore(NAMESPACE).put(LocalChain.class, new ClosingChain(builder.start()));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == LocalChain.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    ClosingChain holder = extensionContext.getStore(NAMESPACE).get(LocalChain.class, ClosingChain.class);
    if (holder == null) {
      throw new LocalChainException("no local chain in this context: annotate the test class with @WithLocalChain");
    }
    return holder.chain;
  }

  /** Closed by JUnit with the class's store. */
  @SuppressWarnings("deprecation") // CloseableResource keeps JUnit 5.x releases before 5.13 working too.
  private static final class ClosingChain implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final LocalChain chain;

    ClosingChain(LocalChain chain) {
      this.chain = chain;
    }

    @Override
    public void close() {
      chain.close();
    }
  }
}
