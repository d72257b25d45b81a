namespace Kefu.Server.Bots;

/// <summary>Bot settings of the whole server (section <c>Kefu:Bot</c>); per-site settings are in the store.</summary>
internal sealed class BotOptions
{
    public const string Section = "Kefu:Bot";

    /// <summary>How long one bot of the chain may take before it is skipped.</summary>
    public double BotTimeoutSeconds { get; set; } = 3;

    /// <summary>A bot-served conversation with no visitor message for this long is closed; 0 never closes.</summary>
    public double IdleCloseMinutes { get; set; } = 30;

    /// <summary>
    /// How often each node looks for <c>botWhenNoAgent</c> conversations (started on any node) whose team has an agent
    /// online on this node, and hands them over; 0 only on agent changes seen by the node itself.
    /// </summary>
    public double AgentCheckSeconds { get; set; } = 5;

    /// <summary>How many earlier messages a bot sees with each question.</summary>
    public int HistoryMessages { get; set; } = 10;

    /// <summary>The language model (off unless <c>BaseUrl</c> and <c>Model</c> are set).</summary>
    public BotLlmOptions Llm { get; set; } = new();
}

/// <summary>An OpenAI-compatible endpoint (section <c>Kefu:Bot:Llm</c>).</summary>
internal sealed class BotLlmOptions
{
    /// <summary>With the version path, e.g. <c>http://127.0.0.1:11434/v1</c>.</summary>
    public string? BaseUrl { get; set; }

    public string? Model { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>How long one answer may take; slower counts as a failure (the circuit breaker opens after several).</summary>
    public double TimeoutSeconds { get; set; } = 8;

    public string BrandName { get; set; } = "our company";
}
