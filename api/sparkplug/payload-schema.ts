// The Sparkplug B payload schema (package org.eclipse.tahu.protobuf, proto2), written from the
// field numbers of the Sparkplug 3.0 specification's Payload definition, as a protobufjs
// descriptor: no .proto file to ship or to load at run time. The hub encodes only Payload,
// Metric and the value kinds it uses, but the nested messages are all here with their numbers so
// a reader of this file can check the whole wire format against the specification.
import protobuf from 'protobufjs';

const u64 = 'uint64';

/** A oneof `value` of scalar alternatives with their field numbers, as the spec lays them out. */
const scalarValues = (ids: Record<string, [string, number]>) =>
  Object.fromEntries(Object.entries(ids).map(([name, [type, id]]) => [name, { type, id }]));

const extensionOnly = { fields: {}, extensions: [[1, 536870911]] };

export const sparkplugDescriptor = {
  nested: {
    org: {
      nested: {
        eclipse: {
          nested: {
            tahu: {
              nested: {
                protobuf: {
                  nested: {
                    Payload: {
                      fields: {
                        timestamp: { type: u64, id: 1 },
                        metrics: { rule: 'repeated', type: 'Metric', id: 2 },
                        seq: { type: u64, id: 3 },
                        uuid: { type: 'string', id: 4 },
                        body: { type: 'bytes', id: 5 },
                      },
                      extensions: [[6, 536870911]],
                      nested: {
                        Template: {
                          fields: {
                            version: { type: 'string', id: 1 },
                            metrics: { rule: 'repeated', type: 'Metric', id: 2 },
                            parameters: { rule: 'repeated', type: 'Parameter', id: 3 },
                            templateRef: { type: 'string', id: 4 },
                            isDefinition: { type: 'bool', id: 5 },
                          },
                          extensions: [[6, 536870911]],
                          nested: {
                            Parameter: {
                              oneofs: {
                                value: {
                                  oneof: [
                                    'intValue',
                                    'longValue',
                                    'floatValue',
                                    'doubleValue',
                                    'booleanValue',
                                    'stringValue',
                                    'extensionValue',
                                  ],
                                },
                              },
                              fields: {
                                name: { type: 'string', id: 1 },
                                type: { type: 'uint32', id: 2 },
                                ...scalarValues({
                                  intValue: ['uint32', 3],
                                  longValue: [u64, 4],
                                  floatValue: ['float', 5],
                                  doubleValue: ['double', 6],
                                  booleanValue: ['bool', 7],
                                  stringValue: ['string', 8],
                                  extensionValue: ['ParameterValueExtension', 9],
                                }),
                              },
                              nested: { ParameterValueExtension: extensionOnly },
                            },
                          },
                        },
                        DataSet: {
                          fields: {
                            numOfColumns: { type: u64, id: 1 },
                            columns: { rule: 'repeated', type: 'string', id: 2 },
                            types: { rule: 'repeated', type: 'uint32', id: 3 },
                            rows: { rule: 'repeated', type: 'Row', id: 4 },
                          },
                          extensions: [[5, 536870911]],
                          nested: {
                            DataSetValue: {
                              oneofs: {
                                value: {
                                  oneof: [
                                    'intValue',
                                    'longValue',
                                    'floatValue',
                                    'doubleValue',
                                    'booleanValue',
                                    'stringValue',
                                    'extensionValue',
                                  ],
                                },
                              },
                              fields: scalarValues({
                                intValue: ['uint32', 1],
                                longValue: [u64, 2],
                                floatValue: ['float', 3],
                                doubleValue: ['double', 4],
                                booleanValue: ['bool', 5],
                                stringValue: ['string', 6],
                                extensionValue: ['DataSetValueExtension', 7],
                              }),
                              nested: { DataSetValueExtension: extensionOnly },
                            },
                            Row: {
                              fields: { elements: { rule: 'repeated', type: 'DataSetValue', id: 1 } },
                              extensions: [[2, 536870911]],
                            },
                          },
                        },
                        PropertyValue: {
                          oneofs: {
                            value: {
                              oneof: [
                                'intValue',
                                'longValue',
                                'floatValue',
                                'doubleValue',
                                'booleanValue',
                                'stringValue',
                                'propertysetValue',
                                'propertysetsValue',
                                'extensionValue',
                              ],
                            },
                          },
                          fields: {
                            type: { type: 'uint32', id: 1 },
                            isNull: { type: 'bool', id: 2 },
                            ...scalarValues({
                              intValue: ['uint32', 3],
                              longValue: [u64, 4],
                              floatValue: ['float', 5],
                              doubleValue: ['double', 6],
                              booleanValue: ['bool', 7],
                              stringValue: ['string', 8],
                              propertysetValue: ['PropertySet', 9],
                              propertysetsValue: ['PropertySetList', 10],
                              extensionValue: ['PropertyValueExtension', 11],
                            }),
                          },
                          nested: { PropertyValueExtension: extensionOnly },
                        },
                        PropertySet: {
                          fields: {
                            keys: { rule: 'repeated', type: 'string', id: 1 },
                            values: { rule: 'repeated', type: 'PropertyValue', id: 2 },
                          },
                          extensions: [[3, 536870911]],
                        },
                        PropertySetList: {
                          fields: { propertyset: { rule: 'repeated', type: 'PropertySet', id: 1 } },
                          extensions: [[2, 536870911]],
                        },
                        MetaData: {
                          fields: {
                            isMultiPart: { type: 'bool', id: 1 },
                            contentType: { type: 'string', id: 2 },
                            size: { type: u64, id: 3 },
                            seq: { type: u64, id: 4 },
                            fileName: { type: 'string', id: 5 },
                            fileType: { type: 'string', id: 6 },
                            md5: { type: 'string', id: 7 },
                            description: { type: 'string', id: 8 },
                          },
                          extensions: [[9, 536870911]],
                        },
                        Metric: {
                          oneofs: {
                            value: {
                              oneof: [
                                'intValue',
                                'longValue',
                                'floatValue',
                                'doubleValue',
                                'booleanValue',
                                'stringValue',
                                'bytesValue',
                                'datasetValue',
                                'templateValue',
                                'extensionValue',
                              ],
                            },
                          },
                          fields: {
                            name: { type: 'string', id: 1 },
                            alias: { type: u64, id: 2 },
                            timestamp: { type: u64, id: 3 },
                            datatype: { type: 'uint32', id: 4 },
                            isHistorical: { type: 'bool', id: 5 },
                            isTransient: { type: 'bool', id: 6 },
                            isNull: { type: 'bool', id: 7 },
                            metadata: { type: 'MetaData', id: 8 },
                            properties: { type: 'PropertySet', id: 9 },
                            ...scalarValues({
                              intValue: ['uint32', 10],
                              longValue: [u64, 11],
                              floatValue: ['float', 12],
                              doubleValue: ['double', 13],
                              booleanValue: ['bool', 14],
                              stringValue: ['string', 15],
                              bytesValue: ['bytes', 16],
                              datasetValue: ['DataSet', 17],
                              templateValue: ['Template', 18],
                              extensionValue: ['MetricValueExtension', 19],
                            }),
                          },
                          nested: { MetricValueExtension: extensionOnly },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(sparkplugDescriptor);

/** The Payload message type (org.eclipse.tahu.protobuf.Payload). */
export const payloadType = root.lookupType('org.eclipse.tahu.protobuf.Payload');
