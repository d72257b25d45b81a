namespace Kefu.Server.Auth;

/// <summary>Holds the token signing key, loaded once at start-up from configuration or the store.</summary>
internal sealed class SigningKeyRing
{
    private byte[]? _key;

    public byte[] Key => _key ?? throw new InvalidOperationException("The signing key is not loaded yet.");

    public void Load(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("A signing key has at least 32 bytes.", nameof(key));
        }
        _key = key;
    }
}
