namespace Kefu.Core.Routing;

/// <summary>What a capacity reservation in the shared routing state came to.</summary>
public enum ReservationOutcome
{
    /// <summary>The agent has a place for the conversation (or already had it).</summary>
    Reserved,

    /// <summary>The agent is at capacity.</summary>
    Full,

    /// <summary>Another agent holds a reservation for the conversation: another node is assigning it.</summary>
    Taken,

    /// <summary>The shared state was lost and must be rebuilt from the store first.</summary>
    Lost,
}
