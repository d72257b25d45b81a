namespace Kefu.Core.Presence;

/// <summary>The presence registry could not be reached; callers wait or degrade, they never lose data over it.</summary>
public sealed class PresenceUnavailableException : Exception
{
    public PresenceUnavailableException()
    {
    }

    public PresenceUnavailableException(string message) : base(message)
    {
    }

    public PresenceUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
