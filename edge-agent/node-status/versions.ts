// What the agent says it is. Kubernetes clients read nodeInfo.kubeletVersion as a semantic
// version (kubectl get nodes shows it, some tools compare it), so it names the Kubernetes API
// level the hub serves (1.32) with Flotilla as the pre-release part.
export const agentVersion = '0.1.0';
export const kubeletVersion = 'v1.32.0-flotilla';
