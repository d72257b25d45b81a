namespace Kefu.Core.Bots;

/// <summary>The wire and storage names of <see cref="BotMode"/>: <c>humanFirst</c>, <c>botFirst</c>, <c>botWhenNoAgent</c>.</summary>
public static class BotModes
{
    public const string HumanFirst = "humanFirst";
    public const string BotFirst = "botFirst";
    public const string BotWhenNoAgent = "botWhenNoAgent";

    public static string? ToWire(BotMode? mode) => mode switch
    {
        null => null,
        BotMode.HumanFirst => HumanFirst,
        BotMode.BotFirst => BotFirst,
        BotMode.BotWhenNoAgent => BotWhenNoAgent,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Null for null or an unknown name.</summary>
    public static BotMode? FromWire(string? name) => name switch
    {
        HumanFirst => BotMode.HumanFirst,
        BotFirst => BotMode.BotFirst,
        BotWhenNoAgent => BotMode.BotWhenNoAgent,
        _ => null,
    };
}
