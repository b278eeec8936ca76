using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SkillForge.Broker;

/// <summary>Verifies a server's certificate against one CA of the party's choosing instead of the machine's trust store.</summary>
public static class TrustedCa
{
    /// <summary>
    /// Accepts a certificate only when its name matches and its chain ends at the CA in <paramref name="caPemPath"/>.
    /// Anything else — another CA, a name mismatch, no certificate — is refused: the check fails closed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is missing or holds no certificate; the message names it.</exception>
    public static RemoteCertificateValidationCallback Validator(string caPemPath)
    {
        X509Certificate2 ca;
        try
        {
            ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPemPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"The CA certificate '{caPemPath}' cannot be read: {e.Message}", e);
        }
        return (_, certificate, _, errors) =>
        {
            // A name mismatch or a missing certificate is final; chain errors are expected (the CA is not in the
            // machine's store) and decided below against the CA alone.
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a private CA publishes no revocation list
            using var presented = new X509Certificate2(certificate);
            return chain.Build(presented);
        };
    }
}
