using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Scanflow.Host;

/// <summary>The certificate of an <c>https://</c> listener: PEM files, the key in the certificate's file or its own.</summary>
internal static class MetricsCertificate
{
    public static X509Certificate2 Load(string certificateFile, string? keyFile) =>
        X509Certificate2.CreateFromPemFile(certificateFile, keyFile);

    /// <summary>Why the certificate cannot be used (the rest of a sentence), or null.</summary>
    public static string? Problem(string certificateFile, string? keyFile)
    {
        try
        {
            using var certificate = Load(certificateFile, keyFile);
            if (!certificate.HasPrivateKey)
            {
                return "has no private key; put it in the same PEM file or set Scanflow:MetricsCertificateKeyFile";
            }

            return certificate.NotAfter < DateTime.Now ? $"expired on {certificate.NotAfter:yyyy-MM-dd}; renew it" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return $"cannot be loaded with its key ({e.Message.TrimEnd('.')}); give a PEM certificate and its PEM private key";
        }
    }
}
