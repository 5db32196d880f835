package io.vipwatch.testkit;

/** One of two classes that check test classes do not see each other; see {@link TestClassIsolationContract}. */
class FirstIsolatedClassIT extends TestClassIsolationContract {
}
