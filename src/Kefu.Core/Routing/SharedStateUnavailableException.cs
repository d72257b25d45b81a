namespace Kefu.Core.Routing;

/// <summary>The shared routing state could not be reached; routing goes on with the store alone, which stays the final guard.</summary>
public sealed class SharedStateUnavailableException : Exception
{
    public SharedStateUnavailableException()
    {
    }

    public SharedStateUnavailableException(string message) : base(message)
    {
    }

    public SharedStateUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
