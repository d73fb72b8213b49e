import { machineRegistry } from '../machines/registry'
import type { MachineLookup } from './workflow-record'

/** The record reads stored workflows with the machines of this code base. */
export const machineLookup: MachineLookup = machineRegistry
