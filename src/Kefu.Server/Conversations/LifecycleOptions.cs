namespace Kefu.Server.Conversations;

/// <summary>Conversation lifecycle settings (section <c>Kefu:Lifecycle</c>); 0 turns a feature off.</summary>
internal sealed class LifecycleOptions
{
    public const string Section = "Kefu:Lifecycle";

    /// <summary>Silence (no visitor or agent message) after which an open conversation gets a warning event.</summary>
    public double InactivityWarningSeconds { get; set; }

    /// <summary>Further silence after the warning after which the conversation closes.</summary>
    public double InactivityCloseSeconds { get; set; } = 300;

    /// <summary>A visitor who writes again this soon after its conversation closed reopens it instead of starting a new one.</summary>
    public double ReopenWindowSeconds { get; set; }
}
