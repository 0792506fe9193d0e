package io.tonearm.client.cli;

/** The bash completion script {@code tonearm completion} prints. */
final class Completion {
  private Completion() {}

  static String bash() {
    return """
        # bash completion for tonearm; load with: source <(tonearm completion)
        # (tonearm: e.g. alias tonearm='java -jar /path/to/tonearm-cli.jar')
        _tonearm() {
          local cur prev
          cur="${COMP_WORDS[COMP_CWORD]}"
          prev="${COMP_WORDS[COMP_CWORD-1]}"
          case "$prev" in
            --host|--port|--token|--tls-cert|--zone) return ;;
            queue) COMPREPLY=($(compgen -W "list add move remove clear" -- "$cur")); return ;;
            add) COMPREPLY=($(compgen -W "track album folder search playlist" -- "$cur")); return ;;
            playlists) COMPREPLY=($(compgen -W "list load save delete" -- "$cur")); return ;;
            outputs) COMPREPLY=($(compgen -W "list enable disable" -- "$cur")); return ;;
            mute|random|single|consume) COMPREPLY=($(compgen -W "on off" -- "$cur")); return ;;
            repeat) COMPREPLY=($(compgen -W "on off all one" -- "$cur")); return ;;
            watch) COMPREPLY=($(compgen -W "--topics --count" -- "$cur")); return ;;
            meters) COMPREPLY=($(compgen -W "--fps --count" -- "$cur")); return ;;
            scan) COMPREPLY=($(compgen -W "--full" -- "$cur")); return ;;
            analyze) COMPREPLY=($(compgen -W "--all --missing" -- "$cur")); return ;;
          esac
          COMPREPLY=($(compgen -W "%s --host --port --token --zone --tls-cert --json" -- "$cur"))
        }
        complete -F _tonearm tonearm
        """
        .formatted(String.join(" ", Cli.COMMANDS));
  }
}
