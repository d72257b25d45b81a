using Microsoft.Extensions.Logging;

namespace Kefu.Bots.Tests;

/// <summary>Keeps log event ids, so a test can check that a skip was logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<EventId> _events = [];

    public IReadOnlyList<EventId> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_events)
        {
            _events.Add(eventId);
        }
    }
}
