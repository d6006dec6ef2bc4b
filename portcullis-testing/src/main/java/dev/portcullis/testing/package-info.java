/**
 * Test fixtures for every module (depend on this module with scope {@code test}): real OpenID
 * Providers run as child processes ({@link dev.portcullis.testing.MockOAuth2ServerProcess},
 * {@link dev.portcullis.testing.NodeOidcProviderProcess}), a scriptable in-process provider for forged
 * tokens ({@link dev.portcullis.testing.ScriptedOidcProvider}), a {@link dev.portcullis.testing.TestClock},
 * and {@link dev.portcullis.testing.RealComponents} to skip locally but fail in CI when a component is missing.
 */
package dev.portcullis.testing;
