namespace Kefu.Core.Storage;

/// <summary>
/// The store could not make a write durable (the commit failed, the database is locked or unreachable).
/// Nothing of the write is stored; callers answer <c>unavailable</c> and clients retry.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
