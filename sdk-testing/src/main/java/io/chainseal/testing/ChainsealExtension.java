package io.chainseal.testing;

import io.chainseal.testkit.LocalChain;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link WithChainseal}: one chain and one {@link ChainsealFixture} per
 * test class (nested classes share them), closed with the class's store whether its tests pass or fail.
 */
public final class ChainsealExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ChainsealExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    if (context.getStore(NAMESPACE).get(ChainsealFixture.class, Closing.class) != null) {
      return; // a nested class: the enclosing class's fixture is found through the parent store
    }
    LocalChain chain = LocalChain.start();
    try {
      context.getStore(NAMESPACE).put(ChainsealFixture.class, new Closing(chain, ChainsealFixture.on(chain)));
    } catch (RuntimeException e) {
      chain.close();
      throw e;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == ChainsealFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Closing holder = extensionContext.getStore(NAMESPACE).get(ChainsealFixture.class, Closing.class);
    if (holder == null) {
      throw new IllegalStateException("no Chainseal fixture in this context: annotate the test class with @WithChainseal");
    }
    return holder.fixture;
  }

  /** Closed by JUnit with the class's store: the fixture's folder, then the chain. */
  @SuppressWarnings("deprecation") // CloseableResource keeps JUnit 5.x releases before 5.13 working too.
  private static final class Closing implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final LocalChain chain;
    private final ChainsealFixture fixture;

    Closing(LocalChain chain, ChainsealFixture fixture) {
      this.chain = chain;
      this.fixture = fixture;
    }

    @Override
    public void close() {
      try {
        fixture.close();
      } finally {
        chain.close();
      }
    }
  }
}
